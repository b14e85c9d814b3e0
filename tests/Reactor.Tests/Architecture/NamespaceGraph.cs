using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Reactor.Tests.Architecture;

/// <summary>
/// Which namespaces of an assembly use which, read from its compiled metadata and IL with
/// Mono.Cecil: base types, interfaces, fields, signatures, locals and every type, method and field
/// an instruction names. Unlike a scan of <c>using</c> lines, this also sees what C# lets code use
/// without a using (the enclosing namespaces: <c>Reactor.Core</c> code naming <c>ReactorLoop</c>)
/// and fully qualified names. Nested and compiler-generated types count as their outermost type.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly ModuleDefinition _module;

    private NamespaceGraph(ModuleDefinition module) => _module = module;

    /// <summary>Every arrow between two different namespaces, with one type pair that makes it.</summary>
    public Dictionary<(string From, string To), string> Arrows { get; } = new();

    /// <summary>Methods implemented by P/Invoke, by the namespace of their type.</summary>
    public List<(string Namespace, string Method)> PInvokes { get; } = new();

    /// <summary>Reads the assembly at <paramref name="path"/>; only namespaces starting with <paramref name="root"/> count.</summary>
    public static NamespaceGraph Read(string path, string root)
    {
        using var module = ModuleDefinition.ReadModule(path);
        var graph = new NamespaceGraph(module);
        foreach (var type in module.Types)
        {
            if (type.Namespace == root || type.Namespace.StartsWith(root + ".", StringComparison.Ordinal)) graph.Visit(type, type);
        }
        return graph;
    }

    private void Visit(TypeDefinition outer, TypeDefinition type)
    {
        Use(outer, type.BaseType);
        foreach (var i in type.Interfaces) Use(outer, i.InterfaceType);
        foreach (var field in type.Fields) Use(outer, field.FieldType);
        foreach (var method in type.Methods)
        {
            if (method.IsPInvokeImpl) PInvokes.Add((outer.Namespace, $"{outer.FullName}.{method.Name}"));
            Use(outer, method.ReturnType);
            foreach (var parameter in method.Parameters) Use(outer, parameter.ParameterType);
            if (!method.HasBody) continue;
            foreach (var local in method.Body.Variables) Use(outer, local.VariableType);
            foreach (var instruction in method.Body.Instructions) UseOperand(outer, instruction);
        }
        foreach (var nested in type.NestedTypes) Visit(outer, nested);
    }

    private void UseOperand(TypeDefinition outer, Instruction instruction)
    {
        switch (instruction.Operand)
        {
            case TypeReference type:
                Use(outer, type);
                break;
            case MethodReference method:
                Use(outer, method.DeclaringType);
                Use(outer, method.ReturnType);
                foreach (var parameter in method.Parameters) Use(outer, parameter.ParameterType);
                if (method is GenericInstanceMethod generic)
                {
                    foreach (var argument in generic.GenericArguments) Use(outer, argument);
                }
                break;
            case FieldReference field:
                Use(outer, field.DeclaringType);
                Use(outer, field.FieldType);
                break;
        }
    }

    private void Use(TypeDefinition outer, TypeReference? reference)
    {
        switch (reference)
        {
            case null:
            case GenericParameter:
                return;
            case GenericInstanceType generic:
                Use(outer, generic.ElementType);
                foreach (var argument in generic.GenericArguments) Use(outer, argument);
                return;
            case TypeSpecification specification:
                Use(outer, specification.ElementType);
                return;
        }
        // Types of other assemblies do not count; ours resolve within the module.
        if (reference.Scope != _module && reference is not TypeDefinition) return;
        var target = reference.Resolve();
        if (target is null || target.Module != _module) return;
        while (target.DeclaringType is not null) target = target.DeclaringType;
        if (target.Namespace.Length == 0 || target.Namespace == outer.Namespace) return;
        Arrows.TryAdd((outer.Namespace, target.Namespace), $"{outer.FullName} → {target.FullName}");
    }
}
