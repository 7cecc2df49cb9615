-- CreateTable
CREATE TABLE "BlockTime" (
    "slasher" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "timestamp" INTEGER NOT NULL,

    CONSTRAINT "BlockTime_pkey" PRIMARY KEY ("slasher","number")
);
