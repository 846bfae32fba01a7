// libharu 2.3.0 (Debian 12 libhpdf-dev ships no pkg-config file). Included without HPDF_SHARED, so the
// document record (HPDF_Doc_Rec: info dictionary, memory manager) and hpdf_objects.h are visible.
#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_namedict.h>
