#ifndef INSIGNE_PNG_SHIMS_H
#define INSIGNE_PNG_SHIMS_H
// libpng calls that may longjmp live in png_shims.c; Swift only sees these plain C functions.
#endif
