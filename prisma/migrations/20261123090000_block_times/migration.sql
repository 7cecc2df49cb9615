-- CreateTable
CREATE TABLE "BlockTime" (
    "slasher" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "timestamp" INTEGER NOT NULL,

    PRIMARY KEY ("slasher", "number")
);
