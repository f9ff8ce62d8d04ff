import Foundation
import IgniteProtocol
@testable import IgniteSync
import IgniteTestNode
import Testing

/// Records every log line and every event, as text.
final class Transcript: IgniteEventListener, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var connectionEvents: [ConnectionEvent] = []
    var wantsQueryEvents: Bool { true }

    func connectionEvent(_ event: ConnectionEvent) {
        lock.lock(); defer { lock.unlock() }
        connectionEvents.append(event)
        lines.append("event: \(event)")
        lines.append("event (reflected): \(String(reflecting: event))")
    }

    func queryEvent(_ event: QueryEvent) {
        lock.lock(); defer { lock.unlock() }
        lines.append("query: \(String(reflecting: event))")
    }

    var logger: IgniteLogHandler {
        { [self] level, message in
            lock.lock(); defer { lock.unlock() }
            lines.append("log \(level): \(message)")
        }
    }

    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }

    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    var events: [ConnectionEvent] { lock.lock(); defer { lock.unlock() }; return connectionEvents }
}

@Suite("Authentication and logging")
struct AuthenticationAndLoggingTests {
    /// Wrong credentials are `.authentication` with the server's status 2000; right ones connect. Runs against
    /// `IGNITE_TEST_AUTH_ADDRESS` (with `IGNITE_TEST_USER`/`IGNITE_TEST_PASSWORD`) when set, else a test node.
    @Test func wrongCredentialsAreAnAuthenticationErrorWithStatus2000() throws {
        guard let auth = try TestEnvironment.authCluster() else { return }  // a real cluster without an auth address
        defer { auth.testCluster?.shutdown() }
        var configuration = IgniteClientConfiguration(endpoints: auth.endpoints)
        configuration.username = auth.user
        configuration.password = auth.password + "-wrong"
        let error = try #require(throws: IgniteError.self) { try IgniteClient(configuration: configuration) }
        #expect(error.code == .authentication)
        #expect(error.serverStatus == 2000)

        configuration.username = "nobody-\(UUID().uuidString.prefix(6))"
        let unknown = try #require(throws: IgniteError.self) { try IgniteClient(configuration: configuration) }
        #expect(unknown.code == .authentication)
        #expect(unknown.serverStatus == 2000)

        configuration.username = nil
        configuration.password = nil
        let anonymous = try #require(throws: IgniteError.self) { try IgniteClient(configuration: configuration) }
        #expect(anonymous.code == .authentication)

        configuration.username = auth.user
        configuration.password = auth.password
        let client = try IgniteClient(configuration: configuration)
        defer { client.close() }
        let cache = try client.createCache(TestEnvironment.uniqueName("swift-auth"))
        defer { try? cache.destroy() }
        try cache.put(Int32(1), "authenticated")
        #expect(try cache.get(Int32(1), as: String.self) == "authenticated")
    }

    /// Everything the client writes to the logging hook and to listeners, at every level, during a rejected and an
    /// accepted connection, operations, a failure and closing, never contains either password.
    @Test func noPasswordInAnyLogLineEventOrDescription() throws {
        guard let auth = try TestEnvironment.authCluster() else { return }
        defer { auth.testCluster?.shutdown() }
        // A wrong password unlike the user name: on a default cluster (`ignite`/`ignite`) the real password equals
        // the user name, and every line naming the user would look like a leak of it.
        let wrongPassword = "Wr0ng-\(UUID().uuidString.prefix(8))"
        let transcript = Transcript()
        var configuration = IgniteClientConfiguration(endpoints: auth.endpoints)
        configuration.username = auth.user
        configuration.password = wrongPassword
        configuration.logger = transcript.logger
        configuration.logLevel = .debug
        configuration.eventListeners = [transcript]
        transcript.add(configuration.description)
        transcript.add(String(reflecting: configuration))
        var dumped = ""
        dump(configuration, to: &dumped)
        transcript.add(dumped)

        let rejected = try #require(throws: IgniteError.self) { try IgniteClient(configuration: configuration) }
        transcript.add(rejected.description)
        transcript.add(String(reflecting: rejected))

        configuration.password = auth.password
        let client = try IgniteClient(configuration: configuration)
        let cache = try client.createCache(TestEnvironment.uniqueName("swift-log"))
        try cache.put(Int32(1), "x")
        let missing = try #require(throws: IgniteError.self) { try client.cache(TestEnvironment.uniqueName("missing")).get(Int32(1)) }
        transcript.add(missing.description)
        try cache.destroy()
        client.close()

        let lines = transcript.all
        #expect(transcript.events.contains { if case .authenticationFailed = $0 { return true } else { return false } })
        #expect(lines.contains { $0.hasPrefix("log debug") })
        #expect(lines.contains { $0.hasPrefix("log warning") })
        #expect(lines.contains { $0.hasPrefix("query:") })
        #expect(dumped.contains("<redacted>"))
        let realPasswordIsDistinct = !auth.user.contains(auth.password)
        let leaks = lines.filter { (realPasswordIsDistinct && $0.contains(auth.password)) || $0.contains(wrongPassword) }
        #expect(leaks.isEmpty, "password in: \(leaks.first ?? "")")
    }
}

@Suite("Heartbeats")
struct HeartbeatTests {
    @Test func intervalFollowsTheJavaClientRules() {
        // No server idle timeout: the configured interval.
        #expect(HeartbeatSchedule<NodeConnection>.interval(configured: .seconds(30), serverIdleTimeoutMilliseconds: 0) == .seconds(30))
        #expect(HeartbeatSchedule<NodeConnection>.interval(configured: .seconds(30), serverIdleTimeoutMilliseconds: -1) == .seconds(30))
        // A third of the server's idle timeout when that is shorter.
        #expect(HeartbeatSchedule<NodeConnection>.interval(configured: .seconds(30), serverIdleTimeoutMilliseconds: 9_000) == .seconds(3))
        // The configured interval when that is shorter.
        #expect(HeartbeatSchedule<NodeConnection>.interval(configured: .seconds(1), serverIdleTimeoutMilliseconds: 9_000) == .seconds(1))
        // Never below 500 ms because of the server.
        #expect(HeartbeatSchedule<NodeConnection>.interval(configured: .seconds(30), serverIdleTimeoutMilliseconds: 600) == .milliseconds(500))
    }

    @Test(.disabled(if: TestEnvironment.isReal, "reads the test node's request counters"))
    func idleConnectionsSendHeartbeats() throws {
        let cluster = try TestEnvironment.Cluster(nodes: 1)
        defer { cluster.shutdown() }
        let client = try cluster.client { $0.heartbeatInterval = .milliseconds(20) }
        defer { client.close() }
        let node = try #require(cluster.testCluster?.nodes.first)
        var seen = 0
        for _ in 0..<500 where seen == 0 {
            Thread.sleep(forTimeInterval: 0.01)
            seen = node.requestCount(.heartbeat)
        }
        #expect(seen > 0)
        // The server's idle timeout was asked once, after the handshake.
        #expect(node.requestCount(.getIdleTimeout) == 1)
        _ = try client.cacheNames()
    }

    /// The test node closes connections idle for 3 s (OP_GET_IDLE_TIMEOUT reports it). Configured for 30 s, the client
    /// beats every second (a third of the idle timeout), so its connection outlives several idle timeouts.
    @Test(.disabled(if: TestEnvironment.isReal, "needs a server idle timeout and the test node's counters"))
    func heartbeatsKeepAConnectionOpenPastTheServerIdleTimeout() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1, idleTimeout: .seconds(3)))
        defer { cluster.shutdown() }
        let node = try #require(cluster.nodes.first)
        let transcript = Transcript()
        var configuration = IgniteClientConfiguration(endpoints: cluster.endpoints)
        configuration.heartbeatInterval = .seconds(30)
        configuration.eventListeners = [transcript]
        let client = try IgniteClient(configuration: configuration)
        defer { client.close() }
        // Wait (bounded) for four heartbeats: at least 3 s of idleness, beyond the idle timeout.
        for _ in 0..<3000 where node.requestCount(.heartbeat) < 4 { Thread.sleep(forTimeInterval: 0.01) }
        #expect(node.requestCount(.heartbeat) >= 4)
        #expect(node.requestCount(.getIdleTimeout) == 1)
        #expect(node.connectionsAccepted == 1)
        #expect(!transcript.events.contains { if case .connectionLost = $0 { return true } else { return false } })
        _ = try client.cacheNames()
        #expect(node.connectionsAccepted == 1)
    }

    /// Without heartbeats the server closes the idle connection; the next read-only operation is resent on a new
    /// connection (the default retry policy) and succeeds.
    @Test(.disabled(if: TestEnvironment.isReal, "needs a server idle timeout and the test node's counters"))
    func withoutHeartbeatsAnIdleConnectionIsClosedAndReplaced() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1, idleTimeout: .milliseconds(200)))
        defer { cluster.shutdown() }
        let node = try #require(cluster.nodes.first)
        let client = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: cluster.endpoints))
        defer { client.close() }
        for _ in 0..<3000 where node.openConnections > 0 { Thread.sleep(forTimeInterval: 0.01) }
        #expect(node.openConnections == 0)
        #expect(node.requestCount(.heartbeat) == 0)
        #expect(node.requestCount(.getIdleTimeout) == 0)
        _ = try client.cacheNames()
        #expect(node.connectionsAccepted == 2)
    }

    /// A server that did not negotiate the HEARTBEAT feature (protocol 1.6.0 has no feature bits) gets no heartbeat and
    /// no idle-timeout query, whatever is configured.
    @Test(.disabled(if: TestEnvironment.isReal, "reads the test node's request counters"))
    func noHeartbeatsWithoutTheFeature() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1, maxVersion: .v1_6_0))
        defer { cluster.shutdown() }
        let node = try #require(cluster.nodes.first)
        var configuration = IgniteClientConfiguration(endpoints: cluster.endpoints)
        configuration.heartbeatInterval = .milliseconds(10)
        let client = try IgniteClient(configuration: configuration)
        defer { client.close() }
        #expect(try client.protocolContext().version == .v1_6_0)
        Thread.sleep(forTimeInterval: 0.3)  // thirty intervals
        #expect(node.requestCount(.heartbeat) == 0)
        #expect(node.requestCount(.getIdleTimeout) == 0)
    }

    /// A busy connection sends no heartbeat: one goes out only after a whole idle interval.
    @Test(.disabled(if: TestEnvironment.isReal, "reads the test node's request counters"))
    func aBusyConnectionSendsNoHeartbeat() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1))
        defer { cluster.shutdown() }
        let node = try #require(cluster.nodes.first)
        var configuration = IgniteClientConfiguration(endpoints: cluster.endpoints)
        configuration.heartbeatInterval = .seconds(2)
        let client = try IgniteClient(configuration: configuration)
        defer { client.close() }
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: .seconds(3))
        var requests = 0
        while clock.now < end {
            _ = try client.cacheNames()
            requests += 1
        }
        #expect(requests > 0)
        #expect(node.requestCount(.heartbeat) == 0)
    }
}
