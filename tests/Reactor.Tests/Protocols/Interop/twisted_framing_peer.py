# A peer built from Twisted's own framing receivers, for interop tests of Reactor's receivers.
#
#   twisted_framing_peer.py server FRAMING        listen on 127.0.0.1:0, print the port, echo every
#                                                 frame back as one frame of the same kind
#   twisted_framing_peer.py client FRAMING PORT   send the test messages, expect them echoed in
#                                                 order, print OK and exit 0 (or print why, exit 1)
#
# FRAMING is line, int32 or netstring. Both roles stop on their own after 30 seconds.
import sys

from twisted.internet import protocol, reactor
from twisted.protocols import basic

MESSAGES = [
    b"hello",
    b"",
    b"x" * 1000,
    b"with spaces\tand a tab",
    bytes(range(1, 256)).replace(b"\r", b"").replace(b"\n", b""),
]
BINARY = [b"\x00\r\n\xff", b"," * 10, b"12:not,a,netstring", b"y" * 50000]


def messages(framing):
    return MESSAGES if framing == "line" else MESSAGES + BINARY


def receiver_class(framing):
    if framing == "line":
        class Line(basic.LineReceiver):
            MAX_LENGTH = 100000

            def lineReceived(self, line):
                self.frameReceived(line)

            def send(self, data):
                self.sendLine(data)

        return Line
    base = {"int32": basic.Int32StringReceiver, "netstring": basic.NetstringReceiver}[framing]

    class Strings(base):
        MAX_LENGTH = 100000

        def stringReceived(self, data):
            self.frameReceived(data)

        def send(self, data):
            self.sendString(data)

    return Strings


def main():
    role, framing = sys.argv[1], sys.argv[2]
    base = receiver_class(framing)
    reactor.callLater(30, reactor.stop)

    if role == "server":
        class Echo(base):
            def frameReceived(self, data):
                self.send(data)

            def connectionLost(self, reason):
                if reactor.running:
                    reactor.stop()

        port = reactor.listenTCP(0, protocol.Factory.forProtocol(Echo), interface="127.0.0.1")
        print(port.getHost().port, flush=True)
        reactor.run()
        return 0

    expected = messages(framing)
    result = {"code": 1}

    class Client(base):
        def connectionMade(self):
            self.got = []
            for m in expected:
                self.send(m)

        def frameReceived(self, data):
            self.got.append(data)
            if len(self.got) == len(expected):
                if self.got == expected:
                    print("OK", flush=True)
                    result["code"] = 0
                else:
                    for i, (g, e) in enumerate(zip(self.got, expected)):
                        if g != e:
                            print("message %d differs: got %r expected %r" % (i, g[:60], e[:60]), flush=True)
                self.transport.loseConnection()

        def connectionLost(self, reason):
            if reactor.running:
                reactor.stop()

    class Factory(protocol.ClientFactory):
        protocol = Client

        def clientConnectionFailed(self, connector, reason):
            print("connect failed: %s" % reason.getErrorMessage(), flush=True)
            reactor.stop()

    reactor.connectTCP("127.0.0.1", int(sys.argv[3]), Factory())
    reactor.run()
    return result["code"]


if __name__ == "__main__":
    sys.exit(main())
