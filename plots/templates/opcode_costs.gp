# Calibrated cost per opcode, interpreter and recompiler side by side.
# Parameters: format, out, template_dir, data, series (calibrations), rows (opcodes), unit,
# variant (which measurement the bars are, e.g. latency; '' when there is one kind).
# Data: header row "opcode<TAB>calibration...", then one row per opcode; '?' = not measured.
width = (rows * series * 8 + 200 > 960) ? rows * series * 8 + 200 : 960
load template_dir.'common.gp'
set title variant eq '' ? 'Calibrated cost per opcode' : sprintf('Calibrated cost per opcode: %s', variant)
set ylabel sprintf('cost per instruction (%s)', unit)
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set xtics rotate by -90 left font ',10'
set key inside left top vertical Left reverse opaque
# A fit can come out negative for an opcode cheaper than the loop's noise: show it, do not clip.
set xzeroaxis lt -1
set yrange [*:*]
plot for [c=2:series+1] data using c:xtic(1) title columnheader(c)
