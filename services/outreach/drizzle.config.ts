import { drizzleConfig } from "@aftersales/kit/drizzle";

export default drizzleConfig("outreach");
