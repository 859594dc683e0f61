import { runMain, runStandalone } from "@aftersales/kit";
import { feedback } from "./server.js";

runMain(() => runStandalone(feedback));
