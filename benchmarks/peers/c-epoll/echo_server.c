/*
 * c-epoll: the reference echo server for benchmarks/compare.sh, what hand-written C costs.
 * One thread, level-triggered epoll, non-blocking sockets with TCP_NODELAY, backlog 4096, loopback.
 * Each readable event: one recv into a per-connection buffer, one send of what came in; what the
 * kernel does not take waits in that buffer and reading stops until it is written (backpressure).
 * Prints "c-epoll listening on 127.0.0.1:PORT" first (port 0 = any free port); SIGTERM stops it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFFER 65536

struct conn {
    int fd;
    size_t pending, offset; /* bytes read and not yet written back */
    unsigned char data[BUFFER];
};

static volatile sig_atomic_t g_stop;
static void on_signal(int sig) { (void)sig; g_stop = 1; }

static void watch(int ep, struct conn *c, int op, unsigned events)
{
    struct epoll_event ev = { .events = events, .data.ptr = c };
    epoll_ctl(ep, op, c->fd, &ev);
}

static void drop(int ep, struct conn *c)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 0;
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(listener, 4096) < 0) {
        perror("c-epoll: listen");
        return 1;
    }
    socklen_t len = sizeof addr;
    getsockname(listener, (struct sockaddr *)&addr, &len);
    printf("c-epoll listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
    fflush(stdout);

    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event lev = { .events = EPOLLIN, .data.ptr = NULL };
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &lev);
    struct epoll_event events[1024];
    while (!g_stop) {
        int n = epoll_wait(ep, events, 1024, 200);
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c == NULL) {
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn *nc = malloc(sizeof *nc);
                    nc->fd = fd;
                    nc->pending = nc->offset = 0;
                    watch(ep, nc, EPOLL_CTL_ADD, EPOLLIN);
                }
                continue;
            }
            if (c->pending == 0 && (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
                ssize_t r = recv(c->fd, c->data, BUFFER, 0);
                if (r == 0 || (r < 0 && errno != EAGAIN)) { drop(ep, c); continue; }
                if (r < 0) continue;
                c->pending = (size_t)r;
                c->offset = 0;
            }
            if (c->pending > 0) {
                ssize_t w = send(c->fd, c->data + c->offset, c->pending, MSG_NOSIGNAL);
                if (w < 0 && errno != EAGAIN) { drop(ep, c); continue; }
                if (w > 0) { c->offset += (size_t)w; c->pending -= (size_t)w; }
                /* Not all written: stop reading, wait for room. All written: read again. */
                watch(ep, c, EPOLL_CTL_MOD, c->pending > 0 ? EPOLLOUT : EPOLLIN);
            }
        }
    }
    return 0;
}
