import { runMain, runStandalone } from "@aftersales/kit";
import { tickets } from "./server.js";

runMain(() => runStandalone(tickets));
