/*
 * loadgen: the project's TCP load generator for benchmarks/compare.sh.
 *
 * One thread, one epoll set, non-blocking sockets with TCP_NODELAY, loopback only. Three modes:
 *   echo   --conns N --size S --depth D : each connection keeps D messages of S bytes in flight and
 *          sends a new one whenever a whole message has come back (D = 1 is ping-pong).
 *   churn  --conns N --size S           : each slot connects, sends S bytes, reads them back, closes
 *          with RST (SO_LINGER 0, so the client is not left with TIME_WAIT ports) and starts over.
 * Every connection sends a deterministic byte stream (a function of connection id and position), so
 * every byte echoed back is checked: a lost, duplicated, reordered or foreign byte is a mismatch.
 *
 * Timing: --warmup seconds of load that is not counted, then --duration seconds measured.
 * With --server-pid, the server's CPU time over the measured window is read from /proc (the sum of
 * its threads' run time in /proc/PID/task/ T/schedstat, nanoseconds) and reported per operation:
 * on loopback the load generator often saturates its own core first, and then throughput alone
 * hides how much each server spends per message.
 *
 * Output, one line on stdout:
 *   RESULT mode=echo conns=50 size=64 depth=1 ops=.. ops_per_s=.. mb_per_s=.. p50_us=.. p99_us=..
 *          errors=0 mismatches=0 server_cpu_pct=.. server_us_per_op=.. client_cpu_pct=..
 * Exit status 1 on any connection error, mismatch, or a measured window with no completed operation.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum mode { MODE_ECHO, MODE_CHURN };

struct conn {
    int fd;
    uint32_t id;           /* stream identity: changes on every churn reconnect */
    uint64_t sent;         /* bytes written to the socket */
    uint64_t queued;       /* bytes the messages in flight add up to (sent <= queued) */
    uint64_t received;     /* bytes read back and checked */
    uint64_t *stamps;      /* send time (ns) of each message in flight, ring of depth entries */
    int connecting;
    int want_write;
};

static enum mode g_mode = MODE_ECHO;
static int g_conns = 50, g_size = 64, g_depth = 1, g_port = 0, g_server_pid = 0;
static double g_warmup = 3, g_duration = 2;
static const char *g_host = "127.0.0.1";
static int g_epoll;
static struct sockaddr_in g_addr;
static uint32_t g_next_id = 1;

static int g_measuring;
static uint64_t g_ops, g_bytes, g_errors, g_mismatches;
#define HIST_US 100000 /* 1 µs buckets up to 100 ms, then one overflow bucket */
static uint32_t g_hist[HIST_US + 1];

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The byte at stream position pos of connection id: cheap, and differs between connections. */
static inline uint8_t pattern(uint32_t id, uint64_t pos)
{
    uint64_t x = pos * 0x9E3779B97F4A7C15ull + (uint64_t)id * 0xBF58476D1CE4E5B9ull;
    return (uint8_t)(x >> 56);
}

static void record_latency(uint64_t ns)
{
    uint64_t us = ns / 1000;
    g_hist[us < HIST_US ? us : HIST_US]++;
}

static double percentile(double p)
{
    uint64_t total = 0, seen = 0;
    for (int i = 0; i <= HIST_US; i++) total += g_hist[i];
    if (total == 0) return 0;
    uint64_t target = (uint64_t)(p * (double)total);
    if (target >= total) target = total - 1;
    for (int i = 0; i <= HIST_US; i++) {
        seen += g_hist[i];
        if (seen > target) return i + 0.5;
    }
    return HIST_US;
}

static void fail(struct conn *c, const char *what)
{
    if (g_errors++ < 5) fprintf(stderr, "loadgen: connection %u: %s: %s\n", c->id, what, strerror(errno));
}

static int open_connection(struct conn *c)
{
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) return -1;
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->id = g_next_id++;
    c->sent = c->queued = c->received = 0;
    c->want_write = 0;
    c->connecting = 1;
    if (connect(c->fd, (struct sockaddr *)&g_addr, sizeof g_addr) < 0 && errno != EINPROGRESS) return -1;
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
    return epoll_ctl(g_epoll, EPOLL_CTL_ADD, c->fd, &ev);
}

static void set_write_interest(struct conn *c, int on)
{
    if (c->want_write == on) return;
    c->want_write = on;
    struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c };
    epoll_ctl(g_epoll, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Writes what is queued and not yet sent; registers for writability if the kernel refused some. */
static int flush(struct conn *c)
{
    static uint8_t chunk[65536];
    while (c->sent < c->queued) {
        size_t n = c->queued - c->sent;
        if (n > sizeof chunk) n = sizeof chunk;
        for (size_t i = 0; i < n; i++) chunk[i] = pattern(c->id, c->sent + i);
        ssize_t w = send(c->fd, chunk, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) { set_write_interest(c, 1); return 0; }
            fail(c, "send");
            return -1;
        }
        c->sent += (uint64_t)w;
    }
    set_write_interest(c, 0);
    return 0;
}

static void queue_message(struct conn *c)
{
    uint64_t index = c->queued / (uint64_t)g_size;
    c->stamps[index % (uint64_t)g_depth] = now_ns();
    c->queued += (uint64_t)g_size;
}

static void restart(struct conn *c)
{
    struct linger rst = { .l_onoff = 1, .l_linger = 0 };
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &rst, sizeof rst);
    close(c->fd);
    if (open_connection(c) < 0) fail(c, "connect");
}

/* Reads, checks every byte against the pattern, and counts each completed message. */
static int on_readable(struct conn *c)
{
    static uint8_t buffer[65536];
    for (;;) {
        ssize_t r = recv(c->fd, buffer, sizeof buffer, 0);
        if (r < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
            fail(c, "recv");
            return -1;
        }
        if (r == 0) { errno = ECONNRESET; fail(c, "unexpected end of stream"); return -1; }
        for (ssize_t i = 0; i < r; i++) {
            if (buffer[i] != pattern(c->id, c->received + (uint64_t)i)) {
                if (g_mismatches++ < 5) fprintf(stderr, "loadgen: connection %u: byte %llu differs\n", c->id,
                                                (unsigned long long)(c->received + (uint64_t)i));
                return -1;
            }
        }
        uint64_t before = c->received / (uint64_t)g_size;
        c->received += (uint64_t)r;
        if (c->received > c->sent) { g_mismatches++; fprintf(stderr, "loadgen: more bytes back than sent\n"); return -1; }
        uint64_t after = c->received / (uint64_t)g_size;
        for (uint64_t m = before; m < after; m++) {
            if (g_measuring) {
                g_ops++;
                g_bytes += (uint64_t)g_size;
                record_latency(now_ns() - c->stamps[m % (uint64_t)g_depth]);
            }
            if (g_mode == MODE_CHURN) { restart(c); return 1; }
            queue_message(c);
        }
        if (after > before && flush(c) < 0) return -1;
    }
}

static uint64_t server_cpu_ns(void)
{
    if (g_server_pid <= 0) return 0;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", g_server_pid);
    DIR *dir = opendir(path);
    if (!dir) return 0;
    uint64_t total = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char file[320];
        snprintf(file, sizeof file, "/proc/%d/task/%s/schedstat", g_server_pid, e->d_name);
        FILE *f = fopen(file, "r");
        if (!f) continue;
        unsigned long long run = 0;
        if (fscanf(f, "%llu", &run) == 1) total += run;
        fclose(f);
    }
    closedir(dir);
    return total;
}

static uint64_t own_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void usage(void)
{
    fprintf(stderr, "usage: loadgen --port P [--host 127.0.0.1] [--mode echo|churn] [--conns N] [--size S]\n"
                    "               [--depth D] [--warmup SEC] [--duration SEC] [--server-pid PID]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--port")) g_port = atoi(v);
        else if (!strcmp(a, "--host")) g_host = v;
        else if (!strcmp(a, "--mode")) g_mode = !strcmp(v, "churn") ? MODE_CHURN : !strcmp(v, "echo") ? MODE_ECHO : (usage(), MODE_ECHO);
        else if (!strcmp(a, "--conns")) g_conns = atoi(v);
        else if (!strcmp(a, "--size")) g_size = atoi(v);
        else if (!strcmp(a, "--depth")) g_depth = atoi(v);
        else if (!strcmp(a, "--warmup")) g_warmup = atof(v);
        else if (!strcmp(a, "--duration")) g_duration = atof(v);
        else if (!strcmp(a, "--server-pid")) g_server_pid = atoi(v);
        else usage();
    }
    if (g_port <= 0 || g_conns <= 0 || g_size <= 0 || g_depth <= 0 || g_duration <= 0) usage();
    if (g_mode == MODE_CHURN) g_depth = 1;
    /* Its own hard limit, on top of the caller's timeout. */
    alarm((unsigned)(g_warmup + g_duration + 60));
    struct rlimit nofile = { 65536, 65536 };
    setrlimit(RLIMIT_NOFILE, &nofile);

    g_addr.sin_family = AF_INET;
    g_addr.sin_port = htons((uint16_t)g_port);
    if (inet_pton(AF_INET, g_host, &g_addr.sin_addr) != 1) { fprintf(stderr, "loadgen: bad --host\n"); return 2; }
    g_epoll = epoll_create1(EPOLL_CLOEXEC);
    struct conn *conns = calloc((size_t)g_conns, sizeof *conns);
    for (int i = 0; i < g_conns; i++) {
        conns[i].stamps = calloc((size_t)g_depth, sizeof(uint64_t));
        if (open_connection(&conns[i]) < 0) { fail(&conns[i], "connect"); return 1; }
    }

    struct epoll_event events[1024];
    uint64_t start = now_ns();
    uint64_t measure_from = start + (uint64_t)(g_warmup * 1e9);
    uint64_t measure_to = measure_from + (uint64_t)(g_duration * 1e9);
    uint64_t server_start = 0, client_start = 0;
    while (g_errors == 0 && g_mismatches == 0) {
        uint64_t t = now_ns();
        if (!g_measuring && t >= measure_from) {
            g_measuring = 1;
            server_start = server_cpu_ns();
            client_start = own_cpu_ns();
        }
        if (t >= measure_to) break;
        int n = epoll_wait(g_epoll, events, 1024, 10);
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c->connecting) {
                if (!(events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) continue;
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err) { errno = err; fail(c, "connect"); break; }
                c->connecting = 0;
                for (int m = 0; m < g_depth; m++) queue_message(c);
                if (flush(c) < 0) break;
                continue;
            }
            if ((events[i].events & EPOLLOUT) && flush(c) < 0) break;
            if ((events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && on_readable(c) < 0) break;
        }
    }
    uint64_t elapsed = now_ns() - measure_from;
    uint64_t server_ns = server_start ? server_cpu_ns() - server_start : 0;
    uint64_t client_ns = own_cpu_ns() - client_start;
    double seconds = (double)elapsed / 1e9;
    if (!g_measuring || seconds <= 0) seconds = 1;

    printf("RESULT mode=%s conns=%d size=%d depth=%d duration_s=%.3f ops=%llu ops_per_s=%.0f mb_per_s=%.2f "
           "p50_us=%.1f p99_us=%.1f errors=%llu mismatches=%llu server_cpu_pct=%.1f server_us_per_op=%.3f "
           "client_cpu_pct=%.1f\n",
           g_mode == MODE_ECHO ? "echo" : "churn", g_conns, g_size, g_depth, seconds, (unsigned long long)g_ops,
           (double)g_ops / seconds, (double)g_bytes / seconds / 1e6, percentile(0.50), percentile(0.99),
           (unsigned long long)g_errors, (unsigned long long)g_mismatches, (double)server_ns / (double)elapsed * 100,
           g_ops ? (double)server_ns / 1000.0 / (double)g_ops : 0, (double)client_ns / (double)elapsed * 100);
    fflush(stdout);
    return (g_errors || g_mismatches || g_ops == 0) ? 1 : 0;
}
