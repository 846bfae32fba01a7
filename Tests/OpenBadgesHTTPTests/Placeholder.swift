import Testing

@Test func placeholderOpenBadgesHTTPTests() {}
