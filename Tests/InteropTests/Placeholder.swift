import Testing

@Test func placeholderInteropTests() {}
