import { runMain, runStandalone } from "@aftersales/kit";
import { partners } from "./server.js";

runMain(() => runStandalone(partners));
