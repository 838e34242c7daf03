// Python's str(datetime.timedelta) for whole seconds: supervisor's uptime text. Pure, so
// the web page's bundle counts uptimes with the same words as getProcessInfo.

/** str(datetime.timedelta) for whole, non-negative seconds: `H:MM:SS`, `N day(s), H:MM:SS`. */
export function timedelta(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const rest = seconds - days * 86400;
  const hms = `${Math.floor(rest / 3600)}:${String(Math.floor((rest % 3600) / 60)).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`;
  return days ? `${days} day${days === 1 ? '' : 's'}, ${hms}` : hms;
}
