// cmd.Cmd.columnize: names in as few rows as fit the width, column by column.
import { ljust } from './format.ts';

export function columnize(list: readonly string[], displaywidth = 80): string[] {
  if (!list.length) return ['<empty>'];
  if (list.length === 1) return [list[0]!];
  const size = list.length;
  let nrows = size;
  let ncols = 1;
  let colwidths = [0];
  for (let rows = 1; rows < size; rows++) {
    const cols = Math.ceil(size / rows);
    const widths: number[] = [];
    let total = -2;
    for (let col = 0; col < cols; col++) {
      let width = 0;
      for (let row = 0; row < rows && row + rows * col < size; row++) width = Math.max(width, [...list[row + rows * col]!].length);
      widths.push(width);
      total += width + 2;
      if (total > displaywidth) break;
    }
    if (total <= displaywidth) {
      [nrows, ncols, colwidths] = [rows, cols, widths];
      break;
    }
  }
  const lines: string[] = [];
  for (let row = 0; row < nrows; row++) {
    const texts: string[] = [];
    for (let col = 0; col < ncols; col++) texts.push(list[row + nrows * col] ?? '');
    while (texts.length && !texts.at(-1)) texts.pop();
    lines.push(texts.map((t, col) => ljust(t, colwidths[col]!)).join('  '));
  }
  return lines;
}
