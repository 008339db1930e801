// CPU time of processes, read from /proc (Linux): what the benchmarks divide by the requests
// served, so a figure says what a request costs whatever else the machine was doing.
import fs from "node:fs";

/** CPU seconds used so far by a process (user + system). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of a server: the process and its children (with WEB_CONCURRENCY, the primary
 * starts the worker processes that serve).
 */
export function serverCpuSeconds(pid: number): number {
  let total = cpuSeconds(pid);
  for (const child of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      // The parent's pid is the field after the state, after the command's closing parenthesis.
      if (Number(fs.readFileSync(`/proc/${child}/stat`, "utf8").split(") ")[1].split(" ")[1]) === pid) total += cpuSeconds(Number(child));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** CPU seconds of the PostgreSQL backends serving this database (their titles name it). */
export function databaseCpuSeconds(database: string): number {
  let total = 0;
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(` ${database} `)) total += cpuSeconds(Number(pid));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}
