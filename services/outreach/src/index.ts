import { runMain, runStandalone } from "@aftersales/kit";
import { outreach } from "./server.js";

runMain(() => runStandalone(outreach));
