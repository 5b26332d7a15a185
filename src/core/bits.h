/* bits.h - counting set bits without a library call.
 *
 * Built without -mpopcnt (the default for x86-64), __builtin_popcount
 * becomes a call to libgcc's table-driven __popcountdi2; these inline the
 * SWAR count instead (a dozen ALU steps, no call, no table), and use the
 * instruction when the build allows it. */
#ifndef SW_BITS_H
#define SW_BITS_H

#include <stdint.h>

static inline unsigned bits_popcount64(uint64_t x)
{
#ifdef __POPCNT__
    return (unsigned)__builtin_popcountll(x);
#else
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
#endif
}

static inline unsigned bits_popcount32(uint32_t x)
{
#ifdef __POPCNT__
    return (unsigned)__builtin_popcount(x);
#else
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    return (x * 0x01010101u) >> 24;
#endif
}

#endif
