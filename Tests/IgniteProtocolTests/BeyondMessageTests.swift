import Foundation
import Testing
@testable import IgniteProtocol

/// Byte-exact frames of the data-structure, compute and service requests, and decoding of their responses. The
/// expected bytes were written by an independent script from the Java layouts (server `pc/datastructures/*`,
/// `pc/compute/ClientExecuteTaskRequest`, `pc/service/*`; client `thin/ClientComputeImpl`, `ClientIgniteSetImpl`),
/// request id 7.
@Suite("Compute, service and data-structure messages")
struct BeyondMessageTests {
    static let node2 = UUID(uuidString: "00000000-0000-0001-0000-000000000002") ?? UUID()
    /// What an Apache server negotiates from the default request: everything but GridGain's bit 34.
    static let all = ProtocolContext(version: .v1_7_0,
                                     features: ProtocolFeatures(ProtocolFeatures.defaultRequested.setBits.filter { $0 != 34 }.map(FeatureBit.init)))
    static let withCallContext = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.serviceInvoke, .serviceInvokeCallContext]))
    static let tags = IgniteSetIdentity(name: "tags", cacheId: 123, colocated: false)

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var hex: String
        var context: ProtocolContext = BeyondMessageTests.all
        var build: @Sendable (ProtocolContext) throws -> [UInt8]
        var testDescription: String { name }
    }

    private static func frame<R: IgniteRequest>(_ request: R) -> @Sendable (ProtocolContext) throws -> [UInt8] {
        { context in try RequestFraming.frame(request, requestId: 7, context: context) }
    }

    static let cases: [Case] = [
        Case(name: "9000 create with configuration",
             hex: "29000000282307000000000000000907000000636f756e746572050000000000000001e8030000020100000065",
             build: frame(AtomicLongCreateRequest(name: "counter", initialValue: 5, configuration: AtomicConfiguration()))),
        Case(name: "9000 create without configuration",
             hex: "1f000000282307000000000000000907000000636f756e746572050000000000000000",
             build: frame(AtomicLongCreateRequest(name: "counter", initialValue: 5))),
        Case(name: "9004 add and get",
             hex: "1f0000002c2307000000000000000907000000636f756e74657265fdffffffffffffff",
             build: frame(AtomicLongRequest(identity: AtomicLongIdentity(name: "counter"), operation: .addAndGet(-3)))),
        Case(name: "9006 compare and set in a group",
             hex: "2c0000002e2307000000000000000907000000636f756e74657209010000006701000000000000000200000000000000",
             build: frame(AtomicLongRequest(identity: AtomicLongIdentity(name: "counter", groupName: "g"),
                                            operation: .compareAndSet(expected: 1, value: 2)))),
        Case(name: "9010 get or create with configuration",
             hex: "230000003223070000000000000009040000007461677301010200000000090300000067727001",
             build: frame(SetGetOrCreateRequest(name: "tags", configuration: CollectionConfiguration(groupName: "grp", colocated: true)))),
        Case(name: "9013 add",
             hex: "1f000000352307000000000000000904000000746167737b0000000001090100000078",
             build: frame(IgniteSetRequest(identity: tags, operation: .add(EncodedValue(.string("x")))))),
        Case(name: "9019 retain none",
             hex: "1d0000003b2307000000000000000904000000746167737b000000000100000000",
             build: frame(IgniteSetRequest(identity: tags, operation: .retainAll([])))),
        Case(name: "9022 iterator start",
             hex: "1c0000003e2307000000000000000904000000746167737b0000000000040000",
             build: frame(SetIteratorStartRequest(identity: tags))),
        Case(name: "9023 iterator page",
             hex: "160000003f23070000000000000005000000000000000a000000",
             build: frame(SetIteratorGetPageRequest(resourceId: 5, pageSize: 10))),
        // The node id is a TYPED UUID (code 10): `ClientExecuteTaskRequest` (server, `pc/compute/`) reads it with
        // `reader.readUuid()`; a raw id makes a real GridGain 8.10 server fail the parse and close the connection.
        Case(name: "6000 execute on one node, both flags, typed node ids",
             hex: "3300000070170700000000000000010000000a0100000000000000020000000000000003e8030000000000000901000000540307000000",
             build: frame(ComputeTaskExecuteRequest(nodeIds: [node2], flags: [.noFailover, .noResultCache], timeoutMilliseconds: 1000,
                                                    taskName: "T", argument: EncodedValue(.int(7))))),
        // NO_RESULT_CACHE alone is flags 0x02 (`ClientComputeTask.NO_RESULT_CACHE_FLAG_MASK`); no node ids, null argument.
        Case(name: "6000 execute everywhere, no result cache",
             hex: "1e000000701707000000000000000000000002000000000000000009010000005465",
             build: frame(ComputeTaskExecuteRequest(flags: [.noResultCache], taskName: "T"))),
        Case(name: "7000 invoke without caller context",
             hex: "33000000581b070000000000000009030000007376630000000000000000000000000009040000006563686f0100000009020000006869",
             build: frame(ServiceInvokeRequest(serviceName: "svc", methodName: "echo", arguments: [ServiceArgument(EncodedValue(.string("hi")))]))),
        // Raw node ids (no type code 10): `ClientServiceInvokeRequest` (server, `pc/service/`) reads
        // `new UUID(reader.readLong(), reader.readLong())`, Apache and GridGain alike (unlike 6000 above).
        Case(name: "7000 invoke with caller context (bit 10)",
             hex: "55000000581b0700000000000000090300000073766300fa00000000000000010000000100000000000000020000000000000009040000006563686f0100000009020000006869190100000001090100000061090100000062",
             context: withCallContext,
             build: frame(ServiceInvokeRequest(serviceName: "svc", methodName: "echo", arguments: [ServiceArgument(EncodedValue(.string("hi")))],
                                               timeoutMilliseconds: 250, nodeIds: [node2], callContext: ["a": "b"]))),
        Case(name: "7001 descriptors", hex: "0a000000591b0700000000000000", build: frame(ServiceGetDescriptorsRequest())),
        Case(name: "7002 descriptor", hex: "120000005a1b07000000000000000903000000737663", build: frame(ServiceGetDescriptorRequest(name: "svc"))),
    ]

    @Test(arguments: cases)
    func frames(_ c: Case) throws {
        #expect(try c.build(c.context) == Hex.decode(c.hex))
    }

    @Test func responses() throws {
        var reader = BinaryReader(try Hex.decode("0101d6ffffff"))
        let identity = try SetGetOrCreateRequest(name: "tags", configuration: nil).decodeResponse(from: &reader, context: Self.all)
        #expect(identity == IgniteSetIdentity(name: "tags", cacheId: -42, colocated: true))

        reader = BinaryReader(try Hex.decode("0200000003010000000302000000010900000000000000"))
        let page = try SetIteratorStartRequest(identity: Self.tags).decodeResponse(from: &reader, context: Self.all)
        #expect(page == IgniteSetPage(values: [.int(1), .int(2)], hasMore: true, resourceId: 9))
        #expect(reader.isAtEnd)

        reader = BinaryReader(try Hex.decode("0100000009030000007376630907000000636f6d2e5376630000000001000000650a0100000000000000020000000000000000"))
        let descriptors = try ServiceGetDescriptorsRequest().decodeResponse(from: &reader, context: Self.all)
        #expect(descriptors == [ServiceDescriptor(name: "svc", serviceClassName: "com.Svc", totalCount: 0, maxPerNodeCount: 1,
                                                  cacheName: nil, originNodeId: Self.node2, platform: .java)])
    }

    /// Every request written by the client reads back identically in the server direction (the test node's path).
    @Test func serverDirectionRoundTrips() throws {
        let invoke = ServiceInvokeRequest(serviceName: "svc", methodName: "m", arguments: [ServiceArgument(EncodedValue(.long(1)))],
                                          timeoutMilliseconds: 5, nodeIds: [Self.node2], callContext: ["k": "v"])
        var writer = BinaryWriter()
        try invoke.encodeBody(into: &writer, context: Self.withCallContext)
        var reader = BinaryReader(writer.bytes)
        #expect(try ServiceInvokeRequest.decodeBody(from: &reader, context: Self.withCallContext) == invoke)

        let set = IgniteSetRequest(identity: Self.tags, operation: .containsAll([EncodedValue(.int(1)), EncodedValue(.int(2))]))
        writer = BinaryWriter()
        try set.encodeBody(into: &writer, context: Self.all)
        reader = BinaryReader(writer.bytes)
        #expect(try IgniteSetRequest.decodeBody(opCode: .setValueContainsAll, from: &reader) == set)
    }

    @Test func gatingAndArguments() throws {
        let bare = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.clusterStates]))
        let compute = ComputeTaskExecuteRequest(taskName: "T")
        #expect(throws: IgniteError.self) { try RequestFraming.frame(compute, requestId: 1, context: bare) }
        let old = ProtocolContext(version: .v1_6_0)
        let error = try #require(throws: IgniteError.self) { try RequestFraming.frame(ServiceGetDescriptorsRequest(), requestId: 1, context: old) }
        #expect(error.code == .notSupportedByCluster)
        // A caller context the connection cannot carry is refused rather than dropped.
        let context = ServiceInvokeRequest(serviceName: "s", methodName: "m", callContext: ["a": "b"])
        let refused = try #require(throws: IgniteError.self) { try RequestFraming.frame(context, requestId: 1, context: Self.all) }
        #expect(refused.code == .notSupportedByCluster)
        #expect(throws: IgniteError.self) { try RequestFraming.frame(ComputeTaskExecuteRequest(taskName: ""), requestId: 1, context: Self.all) }
        #expect(throws: IgniteError.self) {
            try RequestFraming.frame(IgniteSetRequest(identity: Self.tags, operation: .add(.null)), requestId: 1, context: Self.all)
        }
        #expect(throws: IgniteError.self) { try RequestFraming.frame(SetIteratorStartRequest(identity: Self.tags, pageSize: 0), requestId: 1, context: Self.all) }
        // Status 2 (a server without data structures) and 100 (compute disabled) are typed not-supported errors.
        #expect(IgniteError.server(status: 2, message: "Invalid request op code: 9000", opCode: .atomicLongCreate).code == .notSupportedByCluster)
        let disabled = IgniteError.computeExecuteFailed(IgniteError.server(status: 100, message: "disabled", opCode: .computeTaskExecute))
        #expect(disabled.code == .notSupportedByCluster)
        #expect(disabled.message.contains("maxActiveComputeTasksPerConnection"))
    }

    @Test func computeResultFromANotification() throws {
        // i64 resource 5, flags NOTIFICATION, op 6001, String "ok".
        let ok = try Hex.decode("05000000000000000400711709020000006f6b")
        var machine = ConnectionStateMachine.readyMachine(features: .defaultRequested)
        guard case .notification(let notification, _) = machine.frameReceived(ok) else {
            Issue.record("not a notification")
            return
        }
        #expect(try ComputeTaskFinished.result(of: notification) == .string("ok"))
        // Flags NOTIFICATION | ERROR, op 6001, status 1, "Task was cancelled".
        let failed = try Hex.decode("0500000000000000050071170100000009120000005461736b207761732063616e63656c6c6564")
        guard case .notification(let error, _) = machine.frameReceived(failed) else {
            Issue.record("not a notification")
            return
        }
        let thrown = try #require(throws: IgniteError.self) { try ComputeTaskFinished.result(of: error) }
        #expect(thrown.message.contains("Task was cancelled"))
    }
}

@Suite("Notification mailbox")
struct NotificationMailboxTests {
    static func notification(_ resource: Int64, op: OpCode = .computeTaskFinished) -> ConnectionStateMachine.Notification {
        ConnectionStateMachine.Notification(header: ResponseHeader(requestId: resource, flags: .notification, notificationOpCode: op),
                                            payload: [], bodyOffset: 0)
    }

    @Test func deliversToASubscriberOrKeepsForALaterOne() {
        var mailbox = NotificationMailbox<String>()
        #expect(mailbox.subscribe(1, "first") == nil)
        guard case .deliver(let who, let n) = mailbox.received(Self.notification(1)) else {
            Issue.record("not delivered")
            return
        }
        #expect(who == "first")
        #expect(n.header.requestId == 1)
        #expect(mailbox.subscriberCount == 0)

        // Arrives before anyone waits (read in the same batch as the reply): kept, then handed to the subscriber.
        guard case .kept = mailbox.received(Self.notification(2)) else {
            Issue.record("not kept")
            return
        }
        #expect(mailbox.subscribe(2, "late")?.header.requestId == 2)
        #expect(mailbox.keptCount == 0)
        #expect(mailbox.subscriberCount == 0)
    }

    @Test func passesOtherKindsAndBoundsWhatItKeeps() {
        var mailbox = NotificationMailbox<Int>(capacity: 2)
        guard case .unclaimed = mailbox.received(Self.notification(9, op: .queryContinuousEventNotification)) else {
            Issue.record("a continuous-query event was claimed")
            return
        }
        for id in Int64(1)...3 { _ = mailbox.received(Self.notification(id)) }
        #expect(mailbox.keptCount == 2)
        #expect(mailbox.subscribe(1, 0) == nil)   // the oldest was dropped
        #expect(mailbox.subscribe(3, 0) != nil)
        #expect(mailbox.unsubscribe(1) == 0)
        _ = mailbox.subscribe(7, 7)
        #expect(mailbox.removeAll() == [7])
        #expect(mailbox.keptCount == 0)
    }
}
