/* Internal entry points of the extraction pipeline (public API in zhmetrics.h). */
#ifndef ZM_EXTRACT_H
#define ZM_EXTRACT_H
#include "ctx.h"
#endif
