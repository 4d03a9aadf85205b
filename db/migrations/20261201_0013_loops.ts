import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
// - customer_collected_contacts: a phone or e-mail the customer gave one partner directly, when the
//   registrant's contact fields are hidden from it. It belongs to that partner (and the brand).
// - contact_asks: a partner asking the owning partner to share the customer's contact; one open ask
//   per customer and partner.
// - customer_action_marks: a partner marked a suggested action done or snoozed it until a day.
// - customer_follow_ups: a follow-up a rep scheduled; it shows among the day's actions when due.
// - interactions.channel becomes optional: a need recorded or met is not a contact by any channel, so
//   the "in person" those rows were given is cleared. action_code names the action an "action_done"
//   row completed.
const id = "char(26)";
const time = "datetime(3)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("customer_collected_contacts")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("phone", "varchar(16)")
    .addColumn("email", "varchar(254)")
    .addColumn("channel", "varchar(16)", (c) => c.notNull())
    .addColumn("given_at", time, (c) => c.notNull())
    .addColumn("recorded_by_user_id", id, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("collected_contacts_partner_phone").on("customer_collected_contacts").columns(["brand_id", "partner_id", "phone"]).execute();
  await db.schema.createIndex("collected_contacts_partner_email").on("customer_collected_contacts").columns(["brand_id", "partner_id", "email"]).execute();
  await db.schema.createIndex("collected_contacts_customer").on("customer_collected_contacts").columns(["customer_id", "partner_id"]).execute();

  await db.schema
    .createTable("contact_asks")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("owner_partner_id", id, (c) => c.notNull())
    .addColumn("asked_by_user_id", id, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("contact_asks_customer_partner").on("contact_asks").columns(["customer_id", "partner_id", "created_at"]).execute();

  await db.schema
    .createTable("customer_action_marks")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("action_key", "varchar(80)", (c) => c.notNull())
    .addColumn("state", "varchar(8)", (c) => c.notNull())
    .addColumn("until", time, (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("user_id", id, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("action_marks_partner_customer").on("customer_action_marks").columns(["partner_id", "customer_id", "until"]).execute();

  await db.schema
    .createTable("customer_follow_ups")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("due_at", time, (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("created_by_user_id", id, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("done_at", time)
    .addColumn("done_by_user_id", id)
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("follow_ups_partner_due").on("customer_follow_ups").columns(["partner_id", "done_at", "due_at"]).execute();
  await db.schema.createIndex("follow_ups_customer").on("customer_follow_ups").columns(["customer_id", "partner_id"]).execute();

  await db.schema.alterTable("interactions").modifyColumn("channel", "varchar(16)").execute();
  await db.schema.alterTable("interactions").addColumn("action_code", "varchar(40)").execute();
  await db.updateTable("interactions").set({ channel: null }).where("kind", "in", ["need_recorded", "need_met"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.updateTable("interactions").set({ channel: "in_person" }).where("channel", "is", null).execute();
  await db.deleteFrom("interactions").where("kind", "=", "action_done").execute();
  await db.schema.alterTable("interactions").dropColumn("action_code").execute();
  await db.schema.alterTable("interactions").modifyColumn("channel", "varchar(16)", (c) => c.notNull()).execute();
  for (const table of ["customer_follow_ups", "customer_action_marks", "contact_asks", "customer_collected_contacts"]) {
    await db.schema.dropTable(table).execute();
  }
}
