// libqrencode 4.1 (Debian 12 libqrencode-dev).
#include <qrencode.h>
