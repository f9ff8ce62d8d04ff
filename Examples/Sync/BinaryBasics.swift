// pyignite's binary_basics.py (manual 3.4, "Complex objects"). A complex object ("binary object") is Ignite's form
// of a Java class: a type name (whose hash is the type id), a schema per set of fields, and the field values.
// pyignite makes Python classes for them with GenericObjectMeta; in Swift a Codable struct is one, and
// BinaryObject / BinaryObjectBuilder read and write objects without a Swift type.
import IgniteExampleSupport
import IgniteSync

/// A Swift type stored as the complex object `Person` (pyignite: `class Person(metaclass=GenericObjectMeta, ...)`).
struct Person: IgniteObjectCodable, Equatable {
    var firstName: String
    var lastName: String
    var age: Int32                               // Int32: a Java int (pyignite's IntObject)

    static let igniteTypeName = "Person"
    enum CodingKeys: String, CodingKey {         // the field names other clients see
        case firstName = "first_name", lastName = "last_name", age
    }
}

enum BinaryBasicsExample {
    static func run() throws {
        let environment = try ExampleEnvironment.start("binary-basics")
        defer { environment.shutdown() }
        let client = try IgniteClient(configuration: environment.configuration)
        defer { client.close() }
        let personCache = try client.getOrCreateCache("person \(runSuffix)")
        defer { try? personCache.destroy() }

        // Registering the type is optional for writing (the first put registers it) and lets readers that have no
        // Swift type find its fields (pyignite: client.register_binary_type(Person)).
        try client.registerBinaryType(Person.self)

        // Write and read a Codable struct.
        let ivan = Person(firstName: "Ivan", lastName: "Ivanov", age: 33)
        try personCache.put(1, ivan)
        let person = try personCache.get(1, as: Person.self)
        say("get 1 as Person = \(person.map { "\($0)" } ?? "nil")")
        try expectEqual(person, ivan, "the Person read back")

        // Read the same entry without a Swift type: a BinaryObject, its fields read by name.
        guard case .object(let object)? = try personCache.get(1) else { throw ExampleFailure("entry 1 is not a complex object") }
        let schemas = client.binarySchemas
        let typeName = object.typeName(schemas: schemas)
        say("as a BinaryObject: type \(typeName ?? "?") (id \(object.typeId)), schema id \(object.schemaId)")
        for field in try object.fields(schemas: schemas) {
            say("  \(field.name ?? "#\(field.id)") = \(field.value.sqlText)")
        }
        try expectEqual(typeName, "Person", "the type name")
        try expectEqual(try object.field("first_name", as: String.self, schemas: schemas), "Ivan", "field first_name")
        try expectEqual(try object.field("age", as: Int32.self, schemas: schemas), 33, "field age")

        // The type's metadata, as the cluster knows it.
        let type = try client.binaryType(named: "Person")
        say("binary type Person: fields \(type?.fields.map(\.name) ?? []), \(type?.schemas.count ?? 0) schema(s)")
        try expectEqual(type?.fields.map(\.name), ["first_name", "last_name", "age"], "the registered fields")

        // Write an object of the same type without the Swift type, field by field.
        var builder = BinaryObjectBuilder(typeName: "Person")
        try builder.setField("first_name", "Petr")
        try builder.setField("last_name", "Petrov")
        try builder.setField("age", Int32(27))
        try personCache.put(2, builder)
        let petr = try personCache.get(2, as: Person.self)
        say("built field by field, read as Person = \(petr.map { "\($0)" } ?? "nil")")
        try expectEqual(petr, Person(firstName: "Petr", lastName: "Petrov", age: 27), "the built Person")

        // Change one field of a stored object without decoding the rest.
        var edited = try object.toBuilder(schemas: schemas)
        try edited.setField("age", Int32(34))
        try personCache.put(1, edited)
        let older = try personCache.get(1, as: Person.self)
        say("age changed through a builder: \(older.map { "\($0.age)" } ?? "nil")")
        try expectEqual(older?.age, 34, "the edited age")
    }
}
