import Testing

@Test func placeholderOpenBadgesTests() {}
