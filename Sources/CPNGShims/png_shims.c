#include "png_shims.h"
