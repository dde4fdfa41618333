"""Seed records and the in-memory, thread-safe store behind the demo API.

The seed has JSONPlaceholder's shape and sizes: 10 users, 100 posts (10 per user),
500 comments (5 per post) and 200 todos (20 per user), so a suite written against
jsonplaceholder.typicode.com can run here too. The users, post 1, the five comments on
post 1 and todo 1 copy JSONPlaceholder's records. Every other title and body is
generated from a fixed word list, so the seed is the same on every start.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from typing import Any

Record = dict[str, Any]

RESOURCES = ("posts", "comments", "users", "todos")

# Nested list routes such as /posts/1/comments, mapped to the child's foreign key.
NESTED_KEYS = {
    ("posts", "comments"): "postId",
    ("users", "posts"): "userId",
    ("users", "todos"): "userId",
}

# name, username, email, (street, suite, city, zipcode, lat, lng), phone, website,
# (company name, catchPhrase, bs)
_USERS = [
    ("Leanne Graham", "Bret", "Sincere@april.biz",
     ("Kulas Light", "Apt. 556", "Gwenborough", "92998-3874", "-37.3159", "81.1496"),
     "1-770-736-8031 x56442", "hildegard.org",
     ("Romaguera-Crona", "Multi-layered client-server neural-net", "harness real-time e-markets")),
    ("Ervin Howell", "Antonette", "Shanna@melissa.tv",
     ("Victor Plains", "Suite 879", "Wisokyburgh", "90566-7771", "-43.9509", "-34.4618"),
     "010-692-6593 x09125", "anastasia.net",
     ("Deckow-Crist", "Proactive didactic contingency", "synergize scalable supply-chains")),
    ("Clementine Bauch", "Samantha", "Nathan@yesenia.net",
     ("Douglas Extension", "Suite 847", "McKenziehaven", "59590-4157", "-68.6102", "-47.0653"),
     "1-463-123-4447", "ramiro.info",
     ("Romaguera-Jacobson", "Face to face bifurcated interface", "e-enable strategic applications")),
    ("Patricia Lebsack", "Karianne", "Julianne.OConner@kory.org",
     ("Hoeger Mall", "Apt. 692", "South Elvis", "53919-4257", "29.4572", "-164.2990"),
     "493-170-9623 x156", "kale.biz",
     ("Robel-Corkery", "Multi-tiered zero tolerance productivity",
      "transition cutting-edge web services")),
    ("Chelsey Dietrich", "Kamren", "Lucio_Hettinger@annie.ca",
     ("Skiles Walks", "Suite 351", "Roscoeview", "33263", "-31.8129", "62.5342"),
     "(254)954-1289", "demarco.info",
     ("Keebler LLC", "User-centric fault-tolerant solution", "revolutionize end-to-end systems")),
    ("Mrs. Dennis Schulist", "Leopoldo_Corkery", "Karley_Dach@jasper.info",
     ("Norberto Crossing", "Apt. 950", "South Christy", "23505-1337", "-71.4197", "71.7478"),
     "1-477-935-8478 x6430", "ola.org",
     ("Considine-Lockman", "Synchronised bottom-line interface", "e-enable innovative applications")),
    ("Kurtis Weissnat", "Elwyn.Skiles", "Telly.Hoeger@billy.biz",
     ("Rex Trail", "Suite 280", "Howemouth", "58804-1099", "24.8918", "21.8984"),
     "210.067.6132", "elvis.io",
     ("Johns Group", "Configurable multimedia task-force", "generate enterprise e-tailers")),
    ("Nicholas Runolfsdottir V", "Maxime_Nienow", "Sherwood@rosamond.me",
     ("Ellsworth Summit", "Suite 729", "Aliyaview", "45169", "-14.3990", "-120.7677"),
     "586.493.6943 x140", "jacynthe.com",
     ("Abernathy Group", "Implemented secondary concept", "e-enable extensible e-tailers")),
    ("Glenna Reichert", "Delphine", "Chaim_McDermott@dana.io",
     ("Dayna Park", "Suite 449", "Bartholomebury", "76495-3109", "24.6463", "-168.8889"),
     "(775)976-6794 x41206", "conrad.com",
     ("Yost and Sons", "Switchable contextually-based project", "aggregate real-time technologies")),
    ("Clementina DuBuque", "Moriah.Stanton", "Rey.Padberg@karina.biz",
     ("Kattie Turnpike", "Suite 198", "Lebsackbury", "31428-2261", "-38.2386", "57.2232"),
     "024-648-3804", "ambrose.net",
     ("Hoeger LLC", "Centralized empowering task-force", "target end-to-end models")),
]

_POST_1 = {
    "title": "sunt aut facere repellat provident occaecati excepturi optio reprehenderit",
    "body": "quia et suscipit\nsuscipit recusandae consequuntur expedita et cum\n"
            "reprehenderit molestiae ut ut quas totam\nnostrum rerum est autem sunt rem eveniet architecto",
}

# Name and email of comments 1-5, which belong to post 1. Comment 1's body is copied as well.
_POST_1_COMMENTS = [
    ("id labore ex et quam laborum", "Eliseo@gardner.biz"),
    ("quo vero reiciendis velit similique earum", "Jayne_Kuhic@sydney.com"),
    ("odio adipisci rerum aut animi", "Nikita@garfield.biz"),
    ("alias odio sit", "Lew@alysha.tv"),
    ("vero eaque aliquid doloribus et culpa", "Hayden@althea.biz"),
]
_COMMENT_1_BODY = (
    "laudantium enim quasi est quidem magnam voluptate ipsam eos\ntempora quo necessitatibus\n"
    "dolor quam autem quasi\nreiciendis et nam sapiente accusantium"
)

_WORDS = (
    "lorem ipsum dolor sit amet consectetur adipisci velit sed quia non numquam eius modi "
    "tempora incidunt ut labore et dolore magnam aliquam quaerat voluptatem enim ad minima "
    "veniam quis nostrum exercitationem ullam corporis suscipit laboriosam nisi aliquid ex ea "
    "commodi consequatur"
).split()


def _phrase(seed: int, length: int) -> str:
    # Two coprime strides walk the word list, so neighbouring seeds get different phrases.
    return " ".join(_WORDS[(seed * 7 + index * 11) % len(_WORDS)] for index in range(length))


def _paragraph(seed: int) -> str:
    return "\n".join(_phrase(seed + line * 3, 7) for line in range(4))


def _user(user_id: int, row: tuple[Any, ...]) -> Record:
    name, username, email, address, phone, website, company = row
    street, suite, city, zipcode, lat, lng = address
    return {
        "id": user_id,
        "name": name,
        "username": username,
        "email": email,
        "address": {
            "street": street, "suite": suite, "city": city, "zipcode": zipcode,
            "geo": {"lat": lat, "lng": lng},
        },
        "phone": phone,
        "website": website,
        "company": {"name": company[0], "catchPhrase": company[1], "bs": company[2]},
    }


def _post(post_id: int) -> Record:
    post = {"userId": (post_id - 1) // 10 + 1, "id": post_id,
            "title": _phrase(post_id, 5), "body": _paragraph(post_id)}
    if post_id == 1:
        post.update(_POST_1)
    return post


def _comment(comment_id: int) -> Record:
    post_id = (comment_id - 1) // 5 + 1
    if comment_id <= len(_POST_1_COMMENTS):
        name, email = _POST_1_COMMENTS[comment_id - 1]
    else:
        name = _phrase(comment_id, 4)
        email = f"{_WORDS[comment_id % len(_WORDS)].capitalize()}.{comment_id}@example.org"
    body = _COMMENT_1_BODY if comment_id == 1 else _paragraph(comment_id + 500)
    return {"postId": post_id, "id": comment_id, "name": name, "email": email, "body": body}


def _todo(todo_id: int) -> Record:
    title = "delectus aut autem" if todo_id == 1 else _phrase(todo_id + 1000, 4)
    return {"userId": (todo_id - 1) // 20 + 1, "id": todo_id, "title": title,
            "completed": todo_id % 3 == 0}


def build_seed() -> dict[str, list[Record]]:
    """Build a fresh copy of every collection, which the caller may mutate."""
    return {
        "users": [_user(index + 1, row) for index, row in enumerate(_USERS)],
        "posts": [_post(post_id) for post_id in range(1, 101)],
        "comments": [_comment(comment_id) for comment_id in range(1, 501)],
        "todos": [_todo(todo_id) for todo_id in range(1, 201)],
    }


def _query_text(value: Any) -> str:
    """Render a field the way it appears in a query string, for filter comparison."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field(record: Record, dotted_key: str) -> Any:
    value: Any = record
    for part in dotted_key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


class Store:
    """Collections of records keyed by resource name, guarded by one lock.

    Every method returns deep copies, so a caller can serialise a result while another
    thread mutates the store.
    """

    def __init__(self, seed: dict[str, list[Record]] | None = None) -> None:
        seed = build_seed() if seed is None else seed
        self._lock = threading.Lock()
        self._records = {name: {record["id"]: record for record in records}
                         for name, records in seed.items()}

    def query(self, resource: str, filters: Iterable[tuple[str, str]] = ()) -> list[Record]:
        """Return the records whose fields match every filter, in id order.

        Filters with the same key are alternatives, as in json-server: ?id=1&id=2
        returns both records. A dotted key such as address.city reads a nested field.
        """
        allowed: dict[str, set[str]] = {}
        for key, value in filters:
            allowed.setdefault(key, set()).add(value)
        with self._lock:
            records = sorted(self._records[resource].values(), key=lambda record: record["id"])
            matches = [record for record in records
                       if all(self._matches(record, key, values) for key, values in allowed.items())]
            return copy.deepcopy(matches)

    @staticmethod
    def _matches(record: Record, key: str, values: set[str]) -> bool:
        value = _field(record, key)
        return value is not None and _query_text(value) in values

    def get(self, resource: str, record_id: int) -> Record | None:
        with self._lock:
            return copy.deepcopy(self._records[resource].get(record_id))

    def create(self, resource: str, fields: Record) -> Record:
        """Store a new record with the next free id, ignoring any `id` in `fields`."""
        with self._lock:
            records = self._records[resource]
            record = {**copy.deepcopy(fields), "id": max(records, default=0) + 1}
            records[record["id"]] = record
            return copy.deepcopy(record)

    def replace(self, resource: str, record_id: int, fields: Record) -> tuple[Record, bool]:
        """Replace or create the record at `record_id`. Returns the record and whether it was created."""
        with self._lock:
            records = self._records[resource]
            created = record_id not in records
            record = {**copy.deepcopy(fields), "id": record_id}
            records[record_id] = record
            return copy.deepcopy(record), created

    def update(self, resource: str, record_id: int, fields: Record) -> Record | None:
        """Merge top-level `fields` into a record, keeping its id. Returns None if the record is missing."""
        with self._lock:
            record = self._records[resource].get(record_id)
            if record is None:
                return None
            record.update(copy.deepcopy(fields))
            record["id"] = record_id
            return copy.deepcopy(record)

    def delete(self, resource: str, record_id: int) -> bool:
        with self._lock:
            return self._records[resource].pop(record_id, None) is not None
