#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import IgniteProtocol
#if os(Linux) || os(Android)
internal import CIgniteAsyncSystem
#endif

/// One readiness event: which registration it is for, and what the descriptor is ready for.
struct PollerEvent {
    /// The token given at registration.
    var token: UInt64
    /// Data (or end of stream) can be read.
    var readable: Bool
    /// Data can be written.
    var writable: Bool
    /// The peer hung up or the descriptor failed; a read will tell which.
    var hangup: Bool
}

#if os(Linux) || os(Android)
/// The readiness backend on Linux: level-triggered epoll, with an eventfd to wake the waiting thread.
final class Poller {
    private let epollFD: Int32
    private let wakeFD: Int32
    private static let wakeToken = UInt64.max
    /// Used by the loop thread only (``wait(timeoutMilliseconds:into:)``): no dynamic exclusivity check per wait.
    @exclusivity(unchecked) private var buffer = [epoll_event](repeating: epoll_event(), count: 256)

    init() throws {
        let epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw IgniteError(.socket, "epoll_create1: \(describeErrno(errno))") }
        let wakeFD = eventfd(0, Int32(EFD_CLOEXEC) | Int32(EFD_NONBLOCK))
        guard wakeFD >= 0 else {
            closeDescriptor(epollFD)
            throw IgniteError(.socket, "eventfd: \(describeErrno(errno))")
        }
        self.epollFD = epollFD
        self.wakeFD = wakeFD
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Poller.wakeToken
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) == 0 else {
            let code = errno
            closeDescriptor(wakeFD)
            closeDescriptor(epollFD)
            throw IgniteError(.socket, "epoll_ctl(eventfd): \(describeErrno(code))")
        }
    }

    deinit {
        closeDescriptor(wakeFD)
        closeDescriptor(epollFD)
    }

    private func mask(read: Bool, write: Bool) -> UInt32 {
        var mask = EPOLLRDHUP.rawValue
        if read { mask |= EPOLLIN.rawValue }
        if write { mask |= EPOLLOUT.rawValue }
        return mask
    }

    /// Starts watching `fd`.
    func add(_ fd: Int32, token: UInt64, read: Bool, write: Bool) throws {
        var event = epoll_event()
        event.events = mask(read: read, write: write)
        event.data.u64 = token
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            throw IgniteError(.socket, "epoll_ctl(ADD): \(describeErrno(errno))")
        }
    }

    /// Changes what `fd` is watched for.
    func modify(_ fd: Int32, token: UInt64, read: Bool, write: Bool) throws {
        var event = epoll_event()
        event.events = mask(read: read, write: write)
        event.data.u64 = token
        guard epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event) == 0 else {
            throw IgniteError(.socket, "epoll_ctl(MOD): \(describeErrno(errno))")
        }
    }

    /// Stops watching `fd` (before it is closed).
    func remove(_ fd: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
    }

    /// Waits for events, at most `timeoutMilliseconds` (-1: forever), and appends them to `events`. A wake-up
    /// is consumed here and reported as no event.
    func wait(timeoutMilliseconds: Int32, into events: inout [PollerEvent]) {
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            epoll_wait(epollFD, pointer.baseAddress, Int32(pointer.count), timeoutMilliseconds)
        }
        guard count > 0 else { return }
        for index in 0..<Int(count) {
            let event = buffer[index]
            if event.data.u64 == Poller.wakeToken {
                var value: UInt64 = 0
                _ = read(wakeFD, &value, 8)
                continue
            }
            let flags = event.events
            events.append(PollerEvent(token: event.data.u64,
                                      readable: flags & EPOLLIN.rawValue != 0,
                                      writable: flags & EPOLLOUT.rawValue != 0,
                                      hangup: flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue) != 0))
        }
    }

    /// Wakes the thread in ``wait(timeoutMilliseconds:into:)``. Safe from any thread.
    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }
}
#elseif canImport(Darwin)
/// The readiness backend on Apple platforms: kqueue, with an EVFILT_USER event to wake the waiting thread.
/// (Not exercised by the Linux test runs.)
final class Poller {
    private let queue: Int32
    private static let wakeIdent: UInt = 0xFFFF_FFFF
    /// Used by the loop thread only (``wait(timeoutMilliseconds:into:)``): no dynamic exclusivity check per wait.
    @exclusivity(unchecked) private var buffer = [kevent](repeating: kevent(), count: 256)

    init() throws {
        let queue = kqueue()
        guard queue >= 0 else { throw IgniteError(.socket, "kqueue: \(describeErrno(errno))") }
        self.queue = queue
        var change = kevent(ident: Poller.wakeIdent, filter: Int16(EVFILT_USER), flags: UInt16(EV_ADD | EV_CLEAR),
                            fflags: 0, data: 0, udata: nil)
        guard kevent(queue, &change, 1, nil, 0, nil) == 0 else {
            let code = errno
            Darwin.close(queue)
            throw IgniteError(.socket, "kevent(EVFILT_USER): \(describeErrno(code))")
        }
    }

    deinit { Darwin.close(queue) }

    private func apply(_ fd: Int32, token: UInt64, read: Bool, write: Bool) throws {
        let udata = UnsafeMutableRawPointer(bitPattern: UInt(token))
        var changes = [
            kevent(ident: UInt(fd), filter: Int16(EVFILT_READ), flags: UInt16(read ? EV_ADD | EV_ENABLE : EV_ADD | EV_DISABLE),
                   fflags: 0, data: 0, udata: udata),
            kevent(ident: UInt(fd), filter: Int16(EVFILT_WRITE), flags: UInt16(write ? EV_ADD | EV_ENABLE : EV_ADD | EV_DISABLE),
                   fflags: 0, data: 0, udata: udata),
        ]
        guard kevent(queue, &changes, 2, nil, 0, nil) == 0 else {
            throw IgniteError(.socket, "kevent: \(describeErrno(errno))")
        }
    }

    func add(_ fd: Int32, token: UInt64, read: Bool, write: Bool) throws { try apply(fd, token: token, read: read, write: write) }
    func modify(_ fd: Int32, token: UInt64, read: Bool, write: Bool) throws { try apply(fd, token: token, read: read, write: write) }

    func remove(_ fd: Int32) {
        var changes = [
            kevent(ident: UInt(fd), filter: Int16(EVFILT_READ), flags: UInt16(EV_DELETE), fflags: 0, data: 0, udata: nil),
            kevent(ident: UInt(fd), filter: Int16(EVFILT_WRITE), flags: UInt16(EV_DELETE), fflags: 0, data: 0, udata: nil),
        ]
        _ = kevent(queue, &changes, 2, nil, 0, nil)
    }

    func wait(timeoutMilliseconds: Int32, into events: inout [PollerEvent]) {
        var spec = timespec(tv_sec: Int(timeoutMilliseconds / 1000), tv_nsec: Int(timeoutMilliseconds % 1000) * 1_000_000)
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            timeoutMilliseconds < 0
                ? kevent(queue, nil, 0, pointer.baseAddress, Int32(pointer.count), nil)
                : kevent(queue, nil, 0, pointer.baseAddress, Int32(pointer.count), &spec)
        }
        guard count > 0 else { return }
        for index in 0..<Int(count) {
            let event = buffer[index]
            if event.filter == Int16(EVFILT_USER) { continue }
            let token = UInt64(UInt(bitPattern: event.udata))
            let hangup = event.flags & UInt16(EV_EOF | EV_ERROR) != 0
            events.append(PollerEvent(token: token, readable: event.filter == Int16(EVFILT_READ),
                                      writable: event.filter == Int16(EVFILT_WRITE), hangup: hangup))
        }
    }

    func wake() {
        var change = kevent(ident: Poller.wakeIdent, filter: Int16(EVFILT_USER), flags: 0, fflags: UInt32(NOTE_TRIGGER),
                            data: 0, udata: nil)
        _ = kevent(queue, &change, 1, nil, 0, nil)
    }
}
#endif
