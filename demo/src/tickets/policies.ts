import type { DemoSlaPolicy } from "./types.js";

/** Spreeland pauses the resolution clock while it waits for parts; Hudson promises more and does not. */
export const POLICIES: readonly DemoSlaPolicy[] = [
  {
    dealer: "dealer-berlin",
    targets: [
      { priority: "P1", responseMinutes: 30, resolutionMinutes: 360 },
      { priority: "P2", responseMinutes: 120, resolutionMinutes: 960 },
      { priority: "P3", responseMinutes: 480, resolutionMinutes: 2400 },
      { priority: "P4", responseMinutes: 960, resolutionMinutes: 4800 },
    ],
    pausesOnWaitingParts: true,
  },
  {
    dealer: "dealer-newyork",
    targets: [
      { priority: "P1", responseMinutes: 60, resolutionMinutes: 600 },
      { priority: "P2", responseMinutes: 180, resolutionMinutes: 1200 },
      { priority: "P3", responseMinutes: 480, resolutionMinutes: 2880 },
      { priority: "P4", responseMinutes: 1440, resolutionMinutes: 5760 },
    ],
    pausesOnWaitingParts: false,
  },
];
