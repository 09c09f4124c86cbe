/**
 * The local gateway runs AWS's own example the way AWS documents its result: the photos example of
 * the API Gateway developer guide, "Photos example (API Gateway models and mapping templates)",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/example-photos.html
 * (source: awsdocs/amazon-api-gateway-developer-guide, doc_source/example-photos.md). The original
 * data, the output mapping template and the transformed data below are copied from that page as
 * they are; the output is compared as JSON, since the page prints it re-indented.
 */
import { compileVtlTemplate } from '../../../../src/services/api-gateway/vtl/vtl-template';
import { inputObject } from '../../../../src/services/api-gateway/vtl/vtl-input';

/** "Original data (photos example)". */
const originalData = `{
  "photos": {
    "page": 1,
    "pages": "1234",
    "perpage": 100,
    "total": "123398",
    "photo": [
      {
        "id": "12345678901",
        "owner": "23456789@A12",
        "secret": "abc123d456",
        "server": "1234",
        "farm": 1,
        "title": "Sample photo 1",
        "ispublic": 1,
        "isfriend": 0,
        "isfamily": 0
      },
      {
        "id": "23456789012",
        "owner": "34567890@B23",
        "secret": "bcd234e567",
        "server": "2345",
        "farm": 2,
        "title": "Sample photo 2",
        "ispublic": 1,
        "isfriend": 0,
        "isfamily": 0
      }
    ]
  }
}`;

/** "Output mapping template (photos example)". */
const outputMappingTemplate = `#set($inputRoot = $input.path('$'))
{
  "photos": [
#foreach($elem in $inputRoot.photos.photo)
    {
      "id": "$elem.id",
      "owner": "$elem.owner",
      "title": "$elem.title",
      "ispublic": $elem.ispublic,
      "isfriend": $elem.isfriend,
      "isfamily": $elem.isfamily
    }#if($foreach.hasNext),#end
		
#end
  ]
}`;

/** "Transformed data (photos example)". */
const transformedData = `{
  "photos": [
    {
      "id": "12345678901",
      "owner": "23456789@A12",
      "title": "Sample photo 1",
      "ispublic": 1,
      "isfriend": 0,
      "isfamily": 0
    },
    {
      "id": "23456789012",
      "owner": "34567890@B23",
      "title": "Sample photo 2",
      "ispublic": 1,
      "isfriend": 0,
      "isfamily": 0
    }
  ]
}`;

describe("AWS's documented mapping template examples", () => {
  it("turns the photos example's original data into its transformed data with its output mapping template", () => {
    const input = inputObject({ body: originalData, path: {}, querystring: {}, header: {} });
    const rendered = compileVtlTemplate(outputMappingTemplate).render({ input });
    expect(JSON.parse(rendered)).toEqual(JSON.parse(transformedData));
  });
});
