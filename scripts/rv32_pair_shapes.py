#!/usr/bin/env python3
"""Which 64-bit pair shapes a 32-bit guest executes (vm/jit/README.md, session 34).

Block entry counts come from the interpreter (`pvm run --gas-profile --model unit`), the
instructions from `pvm disasm`; per block, the shapes rv32 code uses for 64-bit values kept
in two registers are found and weighted by the block's entries:
  carry add        add lo; set_lt_u c, lo, x (within 4); add hi, .., c (within 6)
  product halves   mul_upper_u_u and mul_32 of the same operands within 8
  variable funnel  shlo_l_32; shlo_r_imm_32; [xor_imm;] shlo_r_32; or (a 64-bit rotate by n)
  constant funnel  shlo_l_imm_32 / shlo_r_imm_32 of both halves and their or
and what is left: loads and stores, logic ops, lone products, other adds and compares.
Then the fault-free runs (between instructions that can fault, and block ends), where a
pass keeping a 64-bit value in one host register would have to give the halves back, and
how many products have both halves inside one of them.
  scripts/rv32_pair_shapes.py PVM GUEST.polkavm ARG
Held-out guests (bench/guests/held_out.txt) are refused: never profile them."""
from collections import Counter

from guest_profile import Tool


def main():
    tool = Tool("rv32_pair_shapes")
    pvm, guest, arg, name = tool.arguments()
    entries = tool.block_entries(pvm, guest, arg)
    blocks = tool.blocks(pvm, guest)
    total, shape, windows = 0, Counter(), Counter()
    for b, ins in blocks.items():
        n = entries.get(b, 0)
        if not n:
            continue
        total += n * sum(1 for op, _ in ins if op != "unlikely")
        for window in fault_free_runs(ins):
            k = paired_products(window)
            windows["runs"] += n
            windows["instructions"] += n * len(window)
            windows["paired"] += n * k
            windows[min(k, 2)] += n
        windows["products"] += n * sum(1 for op, _ in ins if op == "mul_upper_u_u")
        used = [False] * len(ins)

        def mark(idx, what):
            if any(used[i] for i in idx):
                return
            for i in idx:
                used[i] = True
            shape[what] += n * len(idx)

        for i, (op, o) in enumerate(ins):
            if op in ("add_32", "add_imm_32") and o:
                for j in range(i + 1, min(i + 5, len(ins))):
                    if ins[j][0] in ("set_lt_u", "set_lt_u_imm") and len(ins[j][1]) > 1 and ins[j][1][1] == o[0]:
                        c = ins[j][1][0]
                        for k in range(j + 1, min(j + 7, len(ins))):
                            if ins[k][0] == "add_32" and c in ins[k][1][1:]:
                                mark([i, j, k], "carry add (add, set_lt_u, add)")
                                break
                        break
            if op == "mul_upper_u_u":
                for j in range(max(0, i - 8), min(i + 9, len(ins))):
                    if ins[j][0] == "mul_32" and set(ins[j][1][1:]) == set(o[1:]):
                        mark([i, j], "product halves (mul_upper_u_u + mul_32)")
                        break
            if op == "shlo_l_32":
                ops = [x[0] for x in ins[i + 1:i + 5]]
                if ops == ["shlo_r_imm_32", "xor_imm", "shlo_r_32", "or"]:
                    mark(range(i, i + 5), "variable funnel (a 64-bit rotate by n)")
                elif ops[:3] == ["shlo_r_imm_32", "shlo_r_32", "or"]:
                    mark(range(i, i + 4), "variable funnel (a 64-bit rotate by n)")
            if op in ("shlo_l_imm_32", "shlo_r_imm_32"):
                for j in range(i + 1, min(i + 4, len(ins))):
                    if ins[j][0] in ("shlo_l_imm_32", "shlo_r_imm_32") and ins[j][0] != op:
                        for k in range(j + 1, min(j + 3, len(ins))):
                            if ins[k][0] == "or" and o[0] in ins[k][1][1:] and ins[j][1][0] in ins[k][1][1:]:
                                mark([i, j, k], "constant funnel (shl, shr, or)")
                                break
                        break
        for i, (op, o) in enumerate(ins):
            if used[i]:
                continue
            if op.startswith(("load", "store")):
                shape["(loads and stores)"] += n
            elif op in ("xor", "and", "or", "xor_imm", "and_imm", "or_imm"):
                shape["(other logic ops)"] += n
            elif op in ("mul_32", "mul_upper_u_u"):
                shape["(products without their other half near)"] += n
            elif op in ("add_32", "add_imm_32", "set_lt_u", "set_lt_u_imm", "sub_32"):
                shape["(other adds, compares)"] += n
    if not total:
        tool.fail(f"{guest}: no block counts from the interpreter's profile (is the argument right?)")
    print(f"{name} arg {arg}: {total} instructions executed")
    for k, v in shape.most_common():
        print(f"  {100 * v / total:5.1f}%  {k}")
    runs = windows["runs"] or 1
    print(f"fault-free runs (between loads, stores, ecalli, sbrk, memset and block ends): "
          f"{windows['runs']} executed, {windows['instructions'] / runs:.2f} instructions each")
    print(f"  {windows['paired']} of {windows['products']} products have both halves in one run")
    print(f"  runs holding 0 / 1 / 2 or more such products: {100 * windows[0] / runs:.1f}% / "
          f"{100 * windows[1] / runs:.1f}% / {100 * windows[2] / runs:.1f}%")


def can_fault(op):
    """What makes a pair's halves architectural again: the fault handler (and a host call)
    sees the guest registers only."""
    return (op.startswith(("load_", "store_")) and not op.startswith("load_imm")) or op in ("ecalli", "sbrk", "memset")


def fault_free_runs(ins):
    run = []
    for op, o in ins:
        if can_fault(op):
            if run:
                yield run
            run = []
        elif op != "unlikely":
            run.append((op, o))
    if run:
        yield run


def paired_products(run):
    """mul_upper_u_u of a run whose mul_32 of the same operands is in the run too, no
    operand written between: the products a pass that keeps 64-bit values in one register
    within the run could make one 64-bit multiply."""
    k = 0
    for i, (op, o) in enumerate(run):
        if op != "mul_upper_u_u" or len(o) != 3:
            continue
        for j in range(max(0, i - 8), min(i + 9, len(run))):
            if run[j][0] == "mul_32" and len(run[j][1]) == 3 and set(run[j][1][1:]) == set(o[1:]):
                lo, hi = min(i, j), max(i, j)
                if not any(run[q][1] and run[q][1][0] in o[1:] for q in range(lo, hi)):
                    k += 1
                break
    return k


if __name__ == "__main__":
    main()
