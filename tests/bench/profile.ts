/**
 * A summary of a Node CPU profile (`--cpu-prof`): where a process's busy
 * time went, by package (or Node's own internals), and its busiest
 * functions. Only samples inside the given windows count (the time our
 * gateway was under load), so start-up and the other setups' turns leave
 * no trace; idle samples are not busy time.
 *
 *   npm run bench -- --quick --profile /tmp/gateway-profile   # writes and summarises one
 *   npx tsx tests/bench/profile.ts /tmp/gateway-profile          # summarises every profile there, whole
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Who a frame's code belongs to: a package in node_modules, the graph's own sources, Node, or V8's own states. */
function ownerOf(url: string, name: string): string {
  if (!url) return name.startsWith("(") ? name : "(native)";
  if (url.startsWith("node:")) return "node internals";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const [first, second] = url.slice(modules + "node_modules/".length).split("/");
    return first?.startsWith("@") ? `${first}/${second}` : (first ?? url);
  }
  const checkout = url.match(/\/(gateway|services|schema)\/(.*)$/);
  return checkout ? `${checkout[1]}/${checkout[2]}` : url;
}

/** Lines of Markdown: busy time by owner and the busiest functions (self time), in the windows. */
export function summariseProfiles(directory: string, windows: [bigint, bigint][]): string[] {
  const files = readdirSync(directory).filter((f) => f.endsWith(".cpuprofile"));
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(directory, file), "utf8")) as Profile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      at += delta;
      const t = BigInt(Math.round(at));
      if (!windows.some(([from, to]) => t >= from && t <= to)) return;
      const { callFrame } = nodes.get(id)!;
      if (callFrame.functionName === "(idle)") {
        idle += delta;
        return;
      }
      busy += delta;
      const owner = ownerOf(callFrame.url, callFrame.functionName);
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + delta);
      // Node's own code by its module (node:internal/...), everything else by its owner.
      const where = callFrame.url.startsWith("node:") ? callFrame.url.slice("node:".length) : ownerOf(callFrame.url, "");
      const fn = `${callFrame.functionName || "(anonymous)"} ${callFrame.url ? `${where}:${callFrame.lineNumber + 1}` : ""}`.trim();
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
    });
  }
  const share = (n: number) => `${((100 * n) / (busy || 1)).toFixed(1)} %`;
  const top = (map: Map<string, number>, count: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
  return [
    `${files.length} profile(s); under load: ${(busy / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle.`,
    "",
    "| busy time in | share |",
    "|---|---:|",
    ...top(byOwner, 15).map(([owner, time]) => `| ${owner} | ${share(time)} |`),
    "",
    "| function (self time) | share |",
    "|---|---:|",
    ...top(byFunction, 25).map(([fn, time]) => `| \`${fn}\` | ${share(time)} |`),
  ];
}

// Run on its own: every sample of every profile in the directory counts.
if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  const directory = process.argv[2];
  if (!directory) throw new Error("Name a directory of .cpuprofile files.");
  console.log(summariseProfiles(directory, [[0n, BigInt(Number.MAX_SAFE_INTEGER)]]).join("\n"));
}
