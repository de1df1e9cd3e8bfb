/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvm2's CRC-32: reflected poly 0xEDB88320, initial 0xF597A6CF, no final xor. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LVM_INITIAL_CRC 0xf597a6cfU

extern const uint32_t lvm_crc_table[256];
/* [k][n]: lvm_crc_table[n] continued over k + 1 zero bytes (lvm_crc's slicing-by-8). */
extern const uint32_t lvm_crc_slice[7][256];

/* Continue @crc over @len bytes of @buf (start with LVM_INITIAL_CRC): by carry-less
 * multiplication where the CPU has it (x86-64 PCLMULQDQ), else sliced tables. */
uint32_t lvm_crc(uint32_t crc, const void *buf, size_t len);
/* The table-driven CRC alone (the tests compare the two). */
uint32_t lvm_crc_sliced(uint32_t crc, const void *buf, size_t len);
/* Does lvm_crc use carry-less multiplication on this CPU? */
bool lvm_crc_has_clmul(void);
