import Testing

@Test func placeholderOpenBadgesPNGTests() {}
