/*
 * geo.c - great-circle distances (see geo.h).
 */
#include "geo.h"

#include <math.h>

double zx_geo_km(double lon1, double lat1, double lon2, double lat2)
{
    const double r = 6371.0088, k = M_PI / 180;  /* mean Earth radius */
    double dlat = (lat2 - lat1) * k, dlon = (lon2 - lon1) * k;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * k) * cos(lat2 * k) * sin(dlon / 2) * sin(dlon / 2);

    return 2 * r * asin(sqrt(h < 1 ? h : 1));
}
