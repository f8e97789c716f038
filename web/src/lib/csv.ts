// CSV export that a spreadsheet cannot turn into a formula (OWASP "CSV
// injection"): every cell is quoted, and text starting with = + - @ tab or CR
// gets a leading apostrophe. Plain numbers ("-12.50") are left as numbers.
const NUMBER = /^-?\d+(\.\d+)?$/;
const RISKY = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (RISKY.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** Offers the CSV as a file download (UTF-8 with a BOM so spreadsheets read accents). */
export function downloadCsv(fileName: string, csv: string) {
  const url = URL.createObjectURL(new Blob(["\uFEFF", csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
