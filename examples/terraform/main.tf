# ADR-020 §6: the organization's two Atlas resource policies, kept in
# Terraform (ADR-019) so they pass the same review gate as any other
# infrastructure change.
#
#   eu-only  every cluster lies in aws:eu-west-1, eu-west-2 or eu-central-1;
#            the US data plane project is excluded
#   us-only  every cluster lies in aws:us-east-1; the two EU projects are
#            excluded
#
# residency-audit compares these bodies byte for byte with the live ones
# (control terraform-policy-drift):
#
#   residency-audit run -i residency.json --terraform-state terraform.tfstate
#
# The bodies are heredocs passed through chomp(): Atlas stores a body
# without a trailing newline, and a heredoc always ends with one, so an
# unchomped body would be reported as drift on every run. Keep the Cedar
# text here identical to what Atlas returns; the simulator world
# examples/worlds/phase2.json serves the same bodies. The project ids are
# written out (not interpolated) so that the text below is exactly the
# text Atlas stores and a reviewer reads the policy as enforced.

terraform {
  required_version = ">= 1.5"
  required_providers {
    mongodbatlas = {
      source  = "mongodb/mongodbatlas"
      version = ">= 1.21"
    }
  }
}

# Credentials come from the provider's environment variables
# (MONGODB_ATLAS_CLIENT_ID/MONGODB_ATLAS_CLIENT_SECRET or the API key
# pair), never from this file.
provider "mongodbatlas" {}

variable "org_id" {
  description = "The Atlas organization (24 hex digits)."
  type        = string
  default     = "65f1c0a2e4b0d81a2c3e4f50"
}

locals {
  eu_only_body = chomp(<<-EOT
    forbid (
      principal,
      action in [
        ResourcePolicy::Action::"cluster.create",
        ResourcePolicy::Action::"cluster.modify"
      ],
      resource
    )
    unless {
      resource in ResourcePolicy::Project::"6a793feb2c88faeba59bd8f8" ||
      [
        ResourcePolicy::Region::"aws:eu-west-1",
        ResourcePolicy::Region::"aws:eu-west-2",
        ResourcePolicy::Region::"aws:eu-central-1"
      ].containsAll(context.cluster.regions)
    };
    EOT
  )

  us_only_body = chomp(<<-EOT
    forbid (
      principal,
      action in [
        ResourcePolicy::Action::"cluster.create",
        ResourcePolicy::Action::"cluster.modify"
      ],
      resource
    )
    unless {
      resource in ResourcePolicy::Project::"6a793feb2c88faeba59bd8f6" ||
      resource in ResourcePolicy::Project::"6a793feb2c88faeba59bd8f7" ||
      [ResourcePolicy::Region::"aws:us-east-1"].containsAll(context.cluster.regions)
    };
    EOT
  )
}

resource "mongodbatlas_resource_policy" "eu_only" {
  org_id      = var.org_id
  name        = "eu-only"
  description = "ADR-020 6: EU clusters only; the US data plane project is excluded"
  policies = [
    { body = local.eu_only_body },
  ]
}

resource "mongodbatlas_resource_policy" "us_only" {
  org_id      = var.org_id
  name        = "us-only"
  description = "ADR-020 6: US clusters only; the EU projects are excluded"
  policies = [
    { body = local.us_only_body },
  ]
}

output "resource_policy_ids" {
  description = "The Atlas ids of the two policies."
  value = {
    eu_only = mongodbatlas_resource_policy.eu_only.id
    us_only = mongodbatlas_resource_policy.us_only.id
  }
}
