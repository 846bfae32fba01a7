// OpenBadgesCrypto
