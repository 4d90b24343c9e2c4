"""The official Python SDK (python-intercom 5.0.1) against the intercom-sh sandbox.

Run by the end-to-end test PythonSDKTests with INTERCOM_ENDPOINT (the sandbox's REST URL) and
INTERCOM_ACCESS_TOKEN set. Each check calls the SDK as its documentation shows and asserts on what the
sandbox answered, through the SDK's own models. It prints one line per check and exits non-zero on the first
failure.
"""

import os
import sys
import time

from intercom import (
    AdminReplyConversationRequest,
    CreateOrUpdateCompanyRequest,
    Intercom,
    MultipleFilterSearchRequest,
    SingleFilterSearchRequest,
    StartingAfterPaging,
)
from intercom.conversations import ConversationsManageRequestBody_Close

client = Intercom(token=os.environ["INTERCOM_ACCESS_TOKEN"], base_url=os.environ["INTERCOM_ENDPOINT"].rstrip("/"))
checks = 0


def check(name, condition, detail=""):
    global checks
    if not condition:
        print(f"FAILED {name}: {detail}", flush=True)
        sys.exit(1)
    checks += 1
    print(f"ok {name}", flush=True)


# Admins: the list, and whose token it is.
admins = client.admins.list()
check("admins.list", len(admins.admins) == 2, admins)
me = client.admins.identify()
check("admins.identify", me is not None and me.id == admins.admins[0].id and me.app is not None, me)

# Companies: upsert by company_id, find, attach a contact, list its contacts.
company = client.companies.create_or_update(
    request=CreateOrUpdateCompanyRequest(company_id="sdk-6", name="Blue Sun", plan="pro", size=87, remote_created_at=1374138000)
)
again = client.companies.create_or_update(request=CreateOrUpdateCompanyRequest(company_id="sdk-6", size=90))
check("companies.create_or_update upserts", again.id == company.id and again.size == 90, again)
found = client.companies.find(company_id=company.id)
check("companies.find", found.company_id == "sdk-6" and found.name == "Blue Sun", found)
contact = client.contacts.find(contact_id="528f291df8d4a41d8c000088")
attached = client.companies.attach_contact(contact_id=contact.id, company_id=company.id)
check("companies.attach_contact", attached.id == company.id and attached.user_count == 1, attached)
members = client.companies.list_attached_contacts(company_id=company.id)
check("companies.list_attached_contacts", [c.id for c in members.data] == [contact.id], members)

# Conversations: search, reply as the admin, close, tag.
query = MultipleFilterSearchRequest(
    operator="AND",
    value=[
        SingleFilterSearchRequest(field="state", operator="=", value="open"),
        SingleFilterSearchRequest(field="contact_ids", operator="=", value=contact.id),
    ],
)
page = client.conversations.search(query=query, pagination=StartingAfterPaging(per_page=20))
conversations = list(page.items)
check("conversations.search", [c.id for c in conversations] == ["5591"], conversations)
replied = client.conversations.reply(
    conversation_id="5591", request=AdminReplyConversationRequest(message_type="comment", admin_id=me.id, body="Happy to help")
)
last = replied.conversation_parts.conversation_parts[-1]
check("conversations.reply as admin", last.part_type == "comment" and last.author.id == me.id, last)
closed = client.conversations.manage(conversation_id="5591", request=ConversationsManageRequestBody_Close(admin_id=me.id, body="Solved"))
check("conversations.manage close", closed.state == "closed" and closed.open is False, closed.state)
tag = client.tags.create(request={"name": "SDK"})
tagged = client.tags.tag_conversation(conversation_id="5591", tag_id=tag.id, admin_id=me.id)
check("tags.tag_conversation", tagged.id == tag.id and tagged.name == "SDK", tagged)
shown = client.conversations.find(conversation_id="5591")
check("conversations.find shows the tag", [t.name for t in shown.tags.tags] == ["SDK"], shown.tags)

# Contacts: create, update, find by external id, notes (create, list), events (create, list, summary), tags.
person = client.contacts.create(request={"email": "sdk@example.com", "external_id": "sdk-1", "name": "Sdk", "role": "user"})
check("contacts.create", person.email == "sdk@example.com" and person.external_id == "sdk-1", person)
renamed = client.contacts.update(contact_id=person.id, name="Sdk Two")
check("contacts.update", renamed.name == "Sdk Two", renamed)
by_external = client.contacts.show_contact_by_external_id(external_id="sdk-1")
check("contacts.show_contact_by_external_id", by_external.id == person.id, by_external)
note = client.notes.create(contact_id=person.id, body="Met at the fair", admin_id=me.id)
check("notes.create", note.id is not None and "Met at the fair" in note.body, note)
notes = list(client.notes.list(contact_id=person.id))
check("notes.list", [n.id for n in notes] == [note.id], notes)
now = int(time.time())
for offset, name in enumerate(["sdk-signed-in", "sdk-invited", "sdk-signed-in"]):
    client.events.create(request={"event_name": name, "created_at": now - 60 * offset, "user_id": "sdk-1", "metadata": {"seat": "7"}})
events = client.events.list(type="user", user_id="sdk-1", per_page=2)
listed = [e.event_name for e in events.events]
check("events.list (newest first, a page of 2)", listed == ["sdk-signed-in", "sdk-invited"] and events.pages["next"].startswith("http"), events)
summary = client.events.list(type="user", email="sdk@example.com", summary=True)
counts = {e.name: e.count for e in summary.events}
check("events.list summary", summary.type == "event.summary" and counts == {"sdk-invited": 1, "sdk-signed-in": 2}, summary)
by_intercom_id = client.events.list(type="user", intercom_user_id=person.id)
check("events.list by intercom_user_id", len(by_intercom_id.events) == 3, by_intercom_id)
label = client.tags.create(request={"name": "SDK contact"})
client.tags.tag_contact(contact_id=person.id, tag_id=label.id)
check("tags.tag_contact", [t.name for t in client.contacts.list_attached_tags(contact_id=person.id).data] == ["SDK contact"])

# Teams.
teams = client.teams.list()
check("teams.list", len(teams.teams) == 1 and me.id in [str(a) for a in teams.teams[0].admin_ids], teams)
check("teams.find", client.teams.find(team_id=teams.teams[0].id).name == teams.teams[0].name)

# Segments, tags and data attributes.
segments = client.segments.list()
check("segments.list", len(segments.segments) >= 1, segments)
tags = client.tags.list()
check("tags.list", "SDK" in [t.name for t in tags.data], tags)
created = client.data_attributes.create(request={"name": "sdk_plan", "model": "contact", "data_type": "string"})
check("data_attributes.create", created.name == "sdk_plan" and created.model == "contact", created)
attributes = client.data_attributes.list(model="contact")
check("data_attributes.list", "sdk_plan" in [a.name for a in attributes.data], attributes)
when = client.data_attributes.create(request={"name": "sdk_renewal", "model": "contact", "data_type": "datetime"})
check("data_attributes.create datetime (answered as date)", when.data_type == "date", when)

print(f"python-intercom: {checks} checks passed", flush=True)
