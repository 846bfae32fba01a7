// OpenBadgesPNG
