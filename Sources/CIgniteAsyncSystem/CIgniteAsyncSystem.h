// The Linux readiness APIs IgniteAsync's event loop uses, which the Glibc module does not export.
#ifndef CIGNITE_ASYNC_SYSTEM_H
#define CIGNITE_ASYNC_SYSTEM_H
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif
#endif
