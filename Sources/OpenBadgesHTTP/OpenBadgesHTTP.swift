// OpenBadgesHTTP
