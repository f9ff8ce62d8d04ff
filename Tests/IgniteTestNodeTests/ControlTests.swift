import Foundation
import IgniteProtocol
import IgniteTestNode
import Testing

@Suite("Test node: control port and SQL fixture files")
struct ControlTests {
    @Test("STATS, RESET, FAULT, STOP, RESTART and TOPOLOGY commands")
    func commands() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 2))
        defer { cluster.shutdown() }
        let control = try IgniteTestControlServer(cluster: cluster)
        defer { control.stop() }
        let client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("c")
        _ = try client.put("c", .long(1), .long(1))
        let stats = control.execute("STATS").split(separator: "\n")
        #expect(stats.count == 3)
        #expect(stats[0].hasPrefix("node 0 port=\(cluster.endpoints[0].port) "))
        #expect(stats[0].contains("keys=1"))
        #expect(control.execute("RESET") == "OK")
        #expect(cluster.nodes[0].keyRequests == 0)
        let before = cluster.topologyVersion
        #expect(control.execute("STOP 1") == "OK")
        #expect(!cluster.nodes[1].isRunning)
        #expect(control.execute("RESTART 1") == "OK")
        #expect(cluster.nodes[1].isRunning)
        #expect(control.execute("TOPOLOGY") == "\(before.major + 2) 1\nOK")
        #expect(control.execute("FAULT all garbage") == "OK")
        #expect(control.execute("FAULT 0 none") == "OK")
        #expect(control.execute("FAULT 9 none").hasPrefix("ERR"))
        #expect(control.execute("NOPE").hasPrefix("ERR"))
    }

    @Test("a fixture file registers rows with typed values and update counts")
    func fixtureFile() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fixtures-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("""
        [{"sql": "SELECT A, B, C FROM T", "columns": ["A", "B", "C"],
          "rows": [[1, 2.5, {"type": "decimal", "value": "-12.340"}], [{"type": "int", "value": 7}, true, null]]},
         {"sql": "DELETE FROM T", "updateCount": 3}]
        """.utf8).write(to: file)
        #expect(try SQLFixtureFile.load(from: file, into: cluster) == 2)
        let client = try RawClient.connected(cluster.endpoints[0])
        var response = try client.request(.querySQLFields) { w in
            w.writeInt32(0)
            w.writeInt8(0)
            w.writeValue(.null)
            w.writeInt32(10)
            w.writeInt32(-1)
            w.writeStringObject("SELECT A, B, C FROM T")
            w.writeInt32(0)
            w.writeInt8(0)
            for _ in 0..<6 { w.writeBool(false) }
            w.writeInt64(0)
            w.writeBool(false)
        }
        _ = try response.body.readInt64()
        #expect(try response.body.readInt32() == 3)
        #expect(try response.body.readInt32() == 2)
        let values = try (0..<6).map { _ in try response.body.readValue() }
        #expect(values == [.long(1), .double(2.5), .decimal(IgniteDecimal(unscaled: -12340, scale: 3)), .int(7), .bool(true), .null])
    }
}
