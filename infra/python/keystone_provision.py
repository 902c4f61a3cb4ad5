"""Keystone as Image Manager's tests need it, made sure of at every start by infra/keystone.sh through Keystone's API,
as an operator would: the service project, the glance user (admin in it, so that it may validate tokens) and the image
service with the Glance behind Keystone as the region's public, internal and admin endpoint (corrected when its port
changed). Settings from the environment: KEYSTONE_URL, KEYSTONE_REGION, GLANCE_URL, ADMIN_PASSWORD_FILE,
GLANCE_PASSWORD_FILE."""
import json, os, urllib.request

url = os.environ["KEYSTONE_URL"]
region = os.environ["KEYSTONE_REGION"]
glance = os.environ["GLANCE_URL"]
admin_password = open(os.environ["ADMIN_PASSWORD_FILE"]).read().strip()
glance_password = open(os.environ["GLANCE_PASSWORD_FILE"]).read().strip()

def call(method, path, body=None, token=None):
    request = urllib.request.Request(url + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
        return response.headers, (json.loads(text) if text else None)

headers, _ = call("POST", "/auth/tokens", {"auth": {
    "identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": admin_password}}},
    "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
token = headers["X-Subject-Token"]

def one(collection, key, **filters):
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return next(iter(call("GET", f"/{collection}?{query}", token=token)[1][collection]), None)

project = one("projects", "project", name="service", domain_id="default") or \
    call("POST", "/projects", {"project": {"name": "service", "domain_id": "default", "description": "OpenStack services"}}, token)[1]["project"]
user = one("users", "user", name="glance", domain_id="default") or \
    call("POST", "/users", {"user": {"name": "glance", "domain_id": "default", "password": glance_password}}, token)[1]["user"]
role = one("roles", "role", name="admin")
call("PUT", f"/projects/{project['id']}/users/{user['id']}/roles/{role['id']}", token=token)

service = one("services", "service", type="image") or \
    call("POST", "/services", {"service": {"type": "image", "name": "glance", "description": "Image service"}}, token)[1]["service"]
for interface in ("public", "internal", "admin"):
    endpoint = one("endpoints", "endpoint", service_id=service["id"], interface=interface, region_id=region)
    if endpoint is None:
        call("POST", "/endpoints", {"endpoint": {"service_id": service["id"], "interface": interface, "region_id": region, "url": glance}}, token)
    elif endpoint["url"] != glance:
        call("PATCH", f"/endpoints/{endpoint['id']}", {"endpoint": {"url": glance}}, token)
print("provisioned: service project, glance user, image service at", glance)
