#ifndef CSPANDSP_H
#define CSPANDSP_H
#include <stdint.h>
#include <spandsp/telephony.h>
#include <spandsp/g722.h>
#endif
