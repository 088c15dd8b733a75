# Shared terminal and style of every pvmlab figure; each template loads it first.
# Parameters (set by the caller with -e): format ('png' or 'svg'), out (output path).
# A template may set width and height before loading this file.
if (!exists("width")) width = 960
if (!exists("height")) height = 540
if (format eq 'svg') {
    set terminal svg size width,height dynamic noenhanced font 'Helvetica,12' background rgb 'white'
} else {
    set terminal pngcairo size width,height noenhanced font 'Sans,10' background rgb 'white'
}
set output out
set datafile separator "\t"
set datafile missing '?'
set border 3 lc rgb '#555555'
set tics nomirror
set grid ytics lc rgb '#e0e0e0' lt 1
set key below left horizontal Left reverse noautotitle samplen 2 maxcols 2 width 2
set linetype 1 lc rgb '#1f77b4' pt 7
set linetype 2 lc rgb '#ff7f0e' pt 5
set linetype 3 lc rgb '#2ca02c' pt 9
set linetype 4 lc rgb '#d62728' pt 11
set linetype 5 lc rgb '#9467bd' pt 13
set linetype 6 lc rgb '#8c564b' pt 15
set linetype 7 lc rgb '#e377c2' pt 7
set linetype 8 lc rgb '#7f7f7f' pt 5
set linetype cycle 8
