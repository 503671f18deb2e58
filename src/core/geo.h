/*
 * geo.h - distances between schools from their coordinates.
 *
 * Pairing, redistribution and itinerant teaching all weigh how far apart
 * two schools are; the registry keeps longitude and latitude (WGS-84
 * degrees) and no road network, so the great-circle distance is the
 * measure, and travel time is derived from it by a speed the caller
 * chooses.
 */
#ifndef ZX_GEO_H
#define ZX_GEO_H

/* Great-circle distance in km between two points given in degrees
 * (haversine, mean Earth radius). */
double zx_geo_km(double lon1, double lat1, double lon2, double lat2);

#endif
