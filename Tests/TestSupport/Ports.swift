import Foundation

/// A TCP port free on the loopback interface now (the kernel's pick), for tests that start process
/// groups: fixed ports would clash between runs.
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw CocoaError(.fileReadUnknown) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw CocoaError(.fileReadUnknown) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Runs `body(rank)` for ranks 0 and 1 on two threads at once (the two ends of a process group in
/// one process) and returns their results in rank order; rethrows the first error.
public func onTwoRanks<T>(_ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
    nonisolated(unsafe) var results: [Result<T, Error>?] = [nil, nil]
    let lock = NSLock()
    let group = DispatchGroup()
    for rank in 0..<2 {
        group.enter()
        Thread.detachNewThread {
            let result = Result { try body(rank) }
            lock.lock()
            results[rank] = result
            lock.unlock()
            group.leave()
        }
    }
    group.wait()
    return try results.map { try $0!.get() }
}
