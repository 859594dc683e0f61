import type { Resolvers } from "../generated/graphql.js";
import { Contracts } from "./Contracts.js";
import { Coverage, UnitWarranty } from "./Coverage.js";
import { CoverageQuote, CoverageQuoteLine } from "./CoverageQuote.js";
import { Customer } from "./Customer.js";
import { Dealer } from "./Dealer.js";
import { ContractOffer, ExpiringWarranty } from "./ExpiringWarranty.js";
import { MaintenanceVisit } from "./MaintenanceVisit.js";
import { activateServiceContract } from "./Mutation/activateServiceContract.js";
import { answerWarrantyClaim } from "./Mutation/answerWarrantyClaim.js";
import { cancelServiceContract } from "./Mutation/cancelServiceContract.js";
import { createContractPlan } from "./Mutation/createContractPlan.js";
import { createServiceContract } from "./Mutation/createServiceContract.js";
import { fileWarrantyClaim } from "./Mutation/fileWarrantyClaim.js";
import { cancelMaintenanceVisit } from "./Mutation/cancelMaintenanceVisit.js";
import { completeMaintenanceVisit } from "./Mutation/completeMaintenanceVisit.js";
import { scheduleMaintenanceVisit } from "./Mutation/scheduleMaintenanceVisit.js";
import { markWarrantyClaimPaid } from "./Mutation/markWarrantyClaimPaid.js";
import { planMaintenance } from "./Mutation/planMaintenance.js";
import { reviewWarrantyClaim } from "./Mutation/reviewWarrantyClaim.js";
import { sendBackWarrantyClaim } from "./Mutation/sendBackWarrantyClaim.js";
import { setWarrantyPolicy } from "./Mutation/setWarrantyPolicy.js";
import { updateContractPlan } from "./Mutation/updateContractPlan.js";
import { Product } from "./Product.js";
import { Query } from "./Query.js";
import { RepairedUnit } from "./RepairedUnit.js";
import { Ticket } from "./Ticket.js";
import { Unit } from "./Unit.js";
import { WarrantyClaim, WarrantyClaimEvent, WarrantyClaimLine, WarrantyClaimStats } from "./WarrantyClaim.js";

export const resolvers: Resolvers = {
  Query,
  Mutation: {
    setWarrantyPolicy,
    createContractPlan,
    updateContractPlan,
    createServiceContract,
    activateServiceContract,
    cancelServiceContract,
    planMaintenance,
    scheduleMaintenanceVisit,
    completeMaintenanceVisit,
    cancelMaintenanceVisit,
    fileWarrantyClaim,
    reviewWarrantyClaim,
    sendBackWarrantyClaim,
    answerWarrantyClaim,
    markWarrantyClaimPaid,
  },
  ...Contracts,
  Coverage,
  UnitWarranty,
  CoverageQuote,
  CoverageQuoteLine,
  ExpiringWarranty,
  ContractOffer,
  MaintenanceVisit,
  WarrantyClaim,
  RepairedUnit,
  WarrantyClaimLine,
  WarrantyClaimEvent,
  WarrantyClaimStats,
  Product,
  Customer,
  Dealer,
  Unit,
  Ticket,
};
