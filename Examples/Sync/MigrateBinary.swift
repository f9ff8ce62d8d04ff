// pyignite's migrate_binary.py (manual 3.4.3, "Migrate"): change the schema of stored objects. Version 1 of an
// expense voucher has `date` and `reported`; version 2 renames `date` to `expense_date` and replaces `reported`
// with `report_date` (today if it was reported, nil otherwise). Both versions are the same binary type,
// ExpenseVoucher, with two schemas; the cluster keeps every schema ever written.
import Foundation
import IgniteExampleSupport
import IgniteSync

/// Version 1 of the voucher, as the old application wrote it.
struct ExpenseVoucher: IgniteObjectCodable {
    var date: Date                      // a Java Date (pyignite's DateObject)
    var reported: Bool
    var purpose: String
    var sum: IgniteDecimal
    var recipient: String
    var cashierId: Int64

    enum CodingKeys: String, CodingKey { case date, reported, purpose, sum, recipient, cashierId = "cashier_id" }
}

/// Version 2: the same binary type with another set of fields.
struct ExpenseVoucherV2: IgniteObjectCodable {
    var expenseDate: Date
    var reportDate: Date?
    var purpose: String
    var sum: IgniteDecimal
    var recipient: String
    var cashierId: Int64

    static let igniteTypeName = "ExpenseVoucher"
    static let igniteFieldTypes: [String: TypeCode] = ["report_date": .date]   // a Java Date even when nil
    enum CodingKeys: String, CodingKey {
        case expenseDate = "expense_date", reportDate = "report_date", purpose, sum, recipient, cashierId = "cashier_id"
    }
}

/// A third version that changes the type of an existing field: the cluster refuses it.
struct ExpenseVoucherWrongSum: IgniteObjectCodable {
    var sum: String
    static let igniteTypeName = "ExpenseVoucher"
}

enum MigrateBinaryExample {
    static func run() throws {
        let environment = try ExampleEnvironment.start("migrate-binary")
        defer { environment.shutdown() }
        let client = try IgniteClient(configuration: environment.configuration)
        defer { client.close() }
        let accounting = try client.getOrCreateCache("accounting \(runSuffix)")
        defer { try? accounting.destroy() }

        // The old data.
        func day(_ year: Int, _ month: Int, _ day: Int) throws -> Date {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
            guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)) else {
                throw ExampleFailure("no date \(year)-\(month)-\(day)")
            }
            return date
        }
        func amount(_ text: String) throws -> IgniteDecimal { try IgniteDecimal(string: text) }
        let oldData: [Int: ExpenseVoucher] = [
            1: ExpenseVoucher(date: try day(2017, 9, 21), reported: true, purpose: "Praesent eget fermentum massa",
                              sum: try amount("666.67"), recipient: "John Doe", cashierId: 8),
            2: ExpenseVoucher(date: try day(2017, 10, 11), reported: true, purpose: "Proin in bibendum nulla",
                              sum: try amount("333.33"), recipient: "Jane Roe", cashierId: 9),
            3: ExpenseVoucher(date: try day(2017, 10, 11), reported: true,
                              purpose: "Suspendisse nec dolor auctor, scelerisque ex eu, iaculis odio",
                              sum: try amount("400.0"), recipient: "Jane Roe", cashierId: 8),
            4: ExpenseVoucher(date: try day(2017, 10, 24), reported: false, purpose: "Quisque ut leo ligula",
                              sum: try amount("1234.5"), recipient: "Joe Bloggs", cashierId: 10),
            5: ExpenseVoucher(date: try day(2017, 12, 1), reported: true, purpose: "Quisque ut leo ligula",
                              sum: try amount("800.0"), recipient: "Richard Public", cashierId: 12),
            6: ExpenseVoucher(date: try day(2017, 12, 1), reported: true, purpose: "Aenean eget bibendum lorem, a luctus libero",
                              sum: try amount("135.79"), recipient: "Joe Bloggs", cashierId: 10),
        ]
        try accounting.putAll(oldData)
        say("stored \(oldData.count) vouchers of version 1")

        // The type as the cluster knows it (pyignite: client.query_binary_type('ExpenseVoucher')).
        guard let before = try client.queryBinaryType(named: "ExpenseVoucher") else { throw ExampleFailure("ExpenseVoucher is not registered") }
        say("ExpenseVoucher: fields \(before.fields.map(\.name)), \(before.schemas.count) schema(s)")
        try expectEqual(before.schemas.count, 1, "schemas before the migration")

        // Migrate: read every version-1 voucher, write it back as version 2, and check what was written.
        let today = Date()
        let old = try accounting.scan(keyType: Int.self, valueType: ExpenseVoucher.self).all()
        for (key, voucher) in old.sorted(by: { $0.key < $1.key }) {
            let migrated = ExpenseVoucherV2(expenseDate: voucher.date, reportDate: voucher.reported ? today : nil,
                                            purpose: voucher.purpose, sum: voucher.sum, recipient: voucher.recipient,
                                            cashierId: voucher.cashierId)
            try accounting.put(key, migrated)
            guard let verify = try accounting.get(key, as: ExpenseVoucherV2.self) else { throw ExampleFailure("voucher \(key) vanished") }
            say("voucher \(key): \(voucher.recipient), \(voucher.sum), reported \(voucher.reported)"
                + " -> report_date \(verify.reportDate.map { "\($0)" } ?? "nil")")
            try expectEqual(verify.expenseDate, voucher.date, "the expense date of voucher \(key)")
            try expectEqual(verify.reportDate == nil, !voucher.reported, "the report date of voucher \(key)")
            try expectEqual(verify.sum, voucher.sum, "the sum of voucher \(key)")
        }
        try expectEqual(old.count, oldData.count, "vouchers migrated")

        // Both schemas stay known; the type has the fields of both.
        guard let after = try client.queryBinaryType(named: "ExpenseVoucher") else { throw ExampleFailure("ExpenseVoucher is gone") }
        say("ExpenseVoucher now: fields \(after.fields.map(\.name)), \(after.schemas.count) schema(s)")
        try expectEqual(after.schemas.count, 2, "schemas after the migration")
        try expect(after.field(named: "report_date") != nil && after.field(named: "date") != nil, "the fields of both versions")

        // A field keeps its type forever: writing `sum` as a String is refused.
        do {
            try accounting.put(99, ExpenseVoucherWrongSum(sum: "a lot"))
            throw ExampleFailure("a field changed its type")
        } catch let error as IgniteError {
            say("writing sum as a String fails: \(error.code): \(error.message)")
        }
    }
}
