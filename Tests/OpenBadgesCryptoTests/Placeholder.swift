import Testing

@Test func placeholderOpenBadgesCryptoTests() {}
