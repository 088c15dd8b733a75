/* pvm-link's entry: one translation (link.c), or with unlikely hints three
 * (unlikely_hints.c) where the output can carry them. */
#include "link_internal.h"

bool link_elf(const elf_file *elf, const link_options *opt, uint8_t **out, size_t *out_len, link_stats *stats,
              char *msg, size_t msg_size)
{
    link_stats ignored;
    if (!stats) stats = &ignored;
    /* The GP formats have no `unlikely` (GP 0.7 / JamV1 lack the op), nor does a GP standard program. */
    bool hints = opt->unlikely_hints && !opt->gp_standard && pvm_isa_encode_opcode(opt->isa, PVM_OP_UNLIKELY) >= 0;
    if (hints) return link_with_unlikely_hints(elf, opt, out, out_len, stats, msg, msg_size);
    return link_pass(elf, opt, NULL, out, out_len, stats, msg, msg_size);
}
