-- What a slash takes: per request, the figures read from the AllocationManager and strategies.
-- CreateTable
CREATE TABLE "RequestImpact" (
    "slasher" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "requestTxHash" TEXT NOT NULL,
    "facts" TEXT NOT NULL,
    "readAtBlock" INTEGER NOT NULL,
    "impact" TEXT,
    "reason" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("slasher", "requestId", "requestTxHash")
);
