// The names the sample uses from the text around it.
let client = try await IgniteClient(addresses: ["127.0.0.1:10800"])
let cache = client.cache("orders")
