import { runMain, runStandalone } from "@aftersales/kit";
import { catalog } from "./server.js";

runMain(() => runStandalone(catalog));
